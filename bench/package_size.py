"""The Lambda package's zipped and unzipped size and its largest top-level entries.

    .venv/bin/python bench/package_size.py            # builds build/coalhaul-lambda.zip first if absent
    .venv/bin/python bench/package_size.py --no-build [zip]

Lambda refuses a function whose unzipped code exceeds 250 MB (262,144,000 bytes), layers included.
"""

import argparse
import collections
import os
import subprocess
import sys
import zipfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ZIP = os.path.join(REPO_ROOT, "build", "coalhaul-lambda.zip")
LAMBDA_UNZIPPED_LIMIT = 262_144_000
MIB = 1024 * 1024


def top_level_name(path):
    """The package a zip entry belongs to (its first path part, with .dist-info folded into the package)."""
    first = path.split("/", 1)[0]
    if first.endswith((".dist-info", ".libs")):
        first = first.split("-", 1)[0].rsplit(".libs", 1)[0].lower()
    return first


def sizes(zip_path):
    """(zipped bytes, unzipped bytes, {top-level name: (unzipped, compressed)})."""
    per_package = collections.defaultdict(lambda: [0, 0])
    total = 0
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            total += info.file_size
            entry = per_package[top_level_name(info.filename)]
            entry[0] += info.file_size
            entry[1] += info.compress_size
    return os.path.getsize(zip_path), total, per_package


def report(zip_path, top=15):
    zipped, unzipped, per_package = sizes(zip_path)
    print(f"package: {os.path.relpath(zip_path, REPO_ROOT)}")
    print(f"zipped:   {zipped / MIB:7.1f} MiB")
    print(f"unzipped: {unzipped / MIB:7.1f} MiB  ({unzipped / LAMBDA_UNZIPPED_LIMIT:.0%} of Lambda's 250 MB limit)")
    print(f"largest {top} top-level entries (unzipped / zipped MiB):")
    ranked = sorted(per_package.items(), key=lambda item: item[1][0], reverse=True)[:top]
    for name, (raw, packed) in ranked:
        print(f"  {name:32s} {raw / MIB:7.1f} {packed / MIB:7.1f}")
    return zipped, unzipped


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zip", nargs="?", default=DEFAULT_ZIP)
    parser.add_argument("--no-build", action="store_true", help="never build; report the given zip")
    args = parser.parse_args()
    if not os.path.exists(args.zip):
        if args.no_build:
            sys.exit(f"{args.zip} does not exist")
        subprocess.run(["bash", os.path.join(REPO_ROOT, "scripts", "package_lambda.sh")], check=True)
        return  # the build script prints this report itself
    report(args.zip)


if __name__ == "__main__":
    main()

"""Finishes the zip `zappa package` wrote: adds the PWA's vendor libraries and precompiled bytecode.

Usage: python scripts/lambda_postprocess.py build/coalhaul-lambda.zip   (run with the Lambda venv's python3.12)
"""

import compileall
import os
import py_compile
import shutil
import sys
import tempfile
import zipfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAMBDA_TASK_ROOT = "/var/task"  # where Lambda unpacks the zip: tracebacks name files there
# Source maps, type stubs and docs are never fetched by the PWA; leaving them out keeps the zip small.
VENDOR_SKIP_SUFFIXES = (".map", ".d.ts", ".md", ".markdown", ".ts")


def vendor_packages():
    """The npm packages the app serves under /vendor/ (backend.web's allow-list, so the two cannot drift)."""
    sys.path.insert(0, REPO_ROOT)
    from backend.web import VENDOR_PACKAGES

    return sorted(VENDOR_PACKAGES)


def copy_vendor(package_dir):
    """Copy the allowed npm packages to node_modules/ inside the package, where backend.web looks for them."""
    for name in vendor_packages():
        source = os.path.join(REPO_ROOT, "node_modules", name)
        if not os.path.isdir(source):
            raise SystemExit(f"node_modules/{name} is missing: run `npm ci` (scripts/setup.sh) first")
        shutil.copytree(
            source,
            os.path.join(package_dir, "node_modules", name),
            ignore=lambda _dir, names: [
                n
                for n in names
                if n.endswith(VENDOR_SKIP_SUFFIXES) or n in ("test", "tests", "src", "spec", "example", "node_modules")
            ],
        )


def precompile(package_dir):
    """Compile every module once at build time: Lambda's /var/task is read-only, so imports would recompile
    on every cold start. Unchecked-hash .pyc files stay valid although the zip resets the sources' mtimes."""
    for root, dirs, _files in os.walk(package_dir):
        for name in [d for d in dirs if d == "__pycache__"]:
            shutil.rmtree(os.path.join(root, name))
            dirs.remove(name)
    ok = compileall.compile_dir(
        package_dir,
        quiet=2,
        workers=2,
        stripdir=package_dir,
        prependdir=LAMBDA_TASK_ROOT,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    if not ok:
        print("note: some files did not compile (Python 2 leftovers or templates); they load from source")


def rezip(package_dir, zip_path):
    """Write the directory back as a zip in a stable file order, executable bits set as Zappa does."""
    tmp_zip = zip_path + ".tmp"
    with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for root, dirs, files in os.walk(package_dir):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                info = zipfile.ZipInfo(os.path.relpath(path, package_dir))
                info.create_system = 3
                info.external_attr = 0o755 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(path, "rb") as handle:
                    archive.writestr(info, handle.read())
    os.replace(tmp_zip, zip_path)


def main(zip_path):
    with tempfile.TemporaryDirectory(prefix="coalhaul-lambda-") as package_dir:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(package_dir)
        copy_vendor(package_dir)
        precompile(package_dir)
        rezip(package_dir, zip_path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO_ROOT, "build", "coalhaul-lambda.zip"))

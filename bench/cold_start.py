"""Cold start: wall time of a fresh python3.12 process importing the Lambda entry vs one importing only flask + boto3.

    .venv/bin/python bench/cold_start.py [--runs 10]

Every process runs like Lambda runs the package: `python3.12 -S`, sys.path = [unzipped package, runtime boto3],
cwd = the package. Variants, interleaved round by round so machine noise hits them alike:
  baseline     import flask, boto3
  entry        import handler with INSTANTIATE_LAMBDA_HANDLER_ON_IMPORT=1: Zappa loads its settings and
               imports backend.wsgi, which builds the whole app (every blueprint, model and schema)
  entry-nopyc  the same, ignoring the precompiled .pyc shipped in the zip (what an uncompiled zip would cost)
The app's DynamoDB host is a closed local port: building the app must not touch the network.
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZIP_PATH = os.path.join(REPO_ROOT, "build", "coalhaul-lambda.zip")
LAMBDA_VENV = os.path.join(REPO_ROOT, ".venv-lambda")
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
PATH_SETUP = "import sys; sys.path[:0] = [{pkg!r}, {boto!r}]; "
CODE = {
    "baseline": "import flask, boto3",
    "entry": "import handler; assert handler.global_handler.wsgi_app is not None",
    "entry-nopyc": "import handler; assert handler.global_handler.wsgi_app is not None",
}


def prepare(workdir):
    """Unzip the package and link the runtime's boto3 beside it; returns (python, package_dir, boto_dir)."""
    if not os.path.exists(ZIP_PATH) or not os.path.isdir(LAMBDA_VENV):
        subprocess.run(["bash", os.path.join(REPO_ROOT, "scripts", "package_lambda.sh")], check=True)
    package_dir, boto_dir = os.path.join(workdir, "task"), os.path.join(workdir, "runtime")
    with zipfile.ZipFile(ZIP_PATH) as archive:
        archive.extractall(package_dir)
    os.makedirs(boto_dir)
    site_packages = glob.glob(os.path.join(LAMBDA_VENV, "lib", "python3.12", "site-packages"))[0]
    for name in RUNTIME_PROVIDED:
        os.symlink(os.path.join(site_packages, name), os.path.join(boto_dir, name))
    python = subprocess.run([os.path.join(LAMBDA_VENV, "bin", "python"), "-c", "import sys; print(sys._base_executable)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    return python, package_dir, boto_dir


def environment(variant, workdir):
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "AWS_ACCESS_KEY_ID": "bench",
           "AWS_SECRET_ACCESS_KEY": "bench", "AWS_REGION": "ap-east-1", "AWS_DEFAULT_REGION": "ap-east-1",
           "DYNAMODB_HOST": "http://127.0.0.1:9", "TABLE_PREFIX": "bench-", "LOG_LEVEL": "WARNING",
           "JWT_SECRET_KEY": "bench-jwt-secret-0123456789abcdef0123456789",
           "DEVICE_MASTER_KEY": "bench-device-master-0123456789abcdef", "GATE_PASS_KEY": "bench-gate-pass-0123456789",
           "INSTANTIATE_LAMBDA_HANDLER_ON_IMPORT": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    if variant == "entry-nopyc":
        # Bytecode is looked up under this empty prefix instead of __pycache__, so every module compiles.
        env["PYTHONPYCACHEPREFIX"] = os.path.join(workdir, "no-pyc")
    return env


def run_once(python, package_dir, boto_dir, variant, workdir):
    code = PATH_SETUP.format(pkg=package_dir, boto=boto_dir) + CODE[variant]
    started = time.perf_counter()
    done = subprocess.run([python, "-S", "-c", code], cwd=package_dir, env=environment(variant, workdir),
                          capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{variant} failed:\n{done.stderr[-3000:]}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description="Lambda cold start against flask + boto3")
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coalhaul-cold-") as workdir:
        python, package_dir, boto_dir = prepare(workdir)
        times = {variant: [] for variant in CODE}
        variants = list(CODE)
        for round_no in range(args.runs):
            order = variants[round_no % len(variants):] + variants[:round_no % len(variants)]
            for variant in order:
                if variant == "entry-nopyc" and round_no % 2:
                    continue  # the slowest variant runs every other round, to keep the bench near a minute
                times[variant].append(run_once(python, package_dir, boto_dir, variant, workdir))
    medians = {variant: statistics.median(values) for variant, values in times.items()}
    print("cold start, python3.12 -S, interleaved runs (median / min / max ms, runs)")
    for variant, values in times.items():
        print(f"  {variant:12s} {medians[variant] * 1000:7.0f} {min(values) * 1000:7.0f} {max(values) * 1000:7.0f} {len(values):4d}")
    print(f"ratio entry / baseline:        {medians['entry'] / medians['baseline']:.2f}x")
    print(f"ratio entry-nopyc / entry:     {medians['entry-nopyc'] / medians['entry']:.2f}x  (what the precompiled .pyc save)")


if __name__ == "__main__":
    main()

"""Fixtures for the built Lambda package: build (or reuse) the zip, unzip it, and invoke its handler the way
Lambda does — a python3.12 -S process with only the package and the runtime's boto3 on sys.path."""

import glob
import json
import os
import subprocess
import zipfile

import pytest

from backend.localstore.dynamodb_local import REPO_ROOT

ZIP_PATH = os.path.join(REPO_ROOT, "build", "coalhaul-lambda.zip")
LAMBDA_VENV = os.path.join(REPO_ROOT, ".venv-lambda")
DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lambda_driver.py")
# What AWS's python3.12 runtime provides itself, so the zip leaves it out (zappa_settings.json "exclude").
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
# Anything that changes what the zip holds: a newer file than the zip means rebuild.
PACKAGE_INPUTS = (
    "backend/**/*",
    "pwa/**/*",
    "ml_models/**/*",
    "requirements.txt",
    "zappa_settings.json",
    "scripts/package_lambda.sh",
    "scripts/lambda_postprocess.py",
    "package-lock.json",
)
RESULT_MARK = "@@RESULT@@ "


def _newest_input_mtime():
    paths = (p for pattern in PACKAGE_INPUTS for p in glob.glob(os.path.join(REPO_ROOT, pattern), recursive=True))
    return max(os.path.getmtime(p) for p in paths if os.path.isfile(p) and "__pycache__" not in p)


@pytest.fixture(scope="session")
def lambda_zip():
    """build/coalhaul-lambda.zip, rebuilt by scripts/package_lambda.sh unless it is newer than its inputs."""
    stale = not os.path.exists(ZIP_PATH) or os.path.getmtime(ZIP_PATH) < _newest_input_mtime()
    if stale or not os.path.isdir(LAMBDA_VENV):
        subprocess.run(
            ["bash", os.path.join(REPO_ROOT, "scripts", "package_lambda.sh")],
            check=True,
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            timeout=900,
        )
    return ZIP_PATH


@pytest.fixture(scope="session")
def package_dir(lambda_zip, tmp_path_factory):
    """The zip unpacked, as Lambda unpacks it into /var/task."""
    target = tmp_path_factory.mktemp("lambda-task")
    with zipfile.ZipFile(lambda_zip) as archive:
        archive.extractall(target)
    return str(target)


@pytest.fixture(scope="session")
def boto_dir(lambda_zip, tmp_path_factory):
    """A directory holding only what the Lambda runtime adds to the path: boto3 and its dependencies."""
    target = tmp_path_factory.mktemp("lambda-runtime")
    site_packages = glob.glob(os.path.join(LAMBDA_VENV, "lib", "python3.12", "site-packages"))[0]
    for name in RUNTIME_PROVIDED:
        os.symlink(os.path.join(site_packages, name), os.path.join(target, name))
    return str(target)


@pytest.fixture(scope="session")
def lambda_python(lambda_zip):
    """The plain python3.12 interpreter behind the Lambda venv (no venv, no site-packages with -S)."""
    found = subprocess.run(
        [os.path.join(LAMBDA_VENV, "bin", "python"), "-c", "import sys; print(sys._base_executable)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip()


def configured_entry():
    """The function's entry as the deployed stage names it (zappa_settings.json "lambda_handler")."""
    with open(os.path.join(REPO_ROOT, "zappa_settings.json")) as settings:
        return json.load(settings)["dev"].get("lambda_handler", "handler.lambda_handler")


def lambda_environment(app):
    """What the Lambda function's configuration would set, pointed at this session's DynamoDB Local."""
    keep = (
        "PATH",
        "LANG",
        "TMPDIR",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
        "JWT_SECRET_KEY",
        "DEVICE_MASTER_KEY",
        "SECRET_SEAL_KEY",
        "GATE_PASS_KEY",
        "DYNAMODB_HOST",
        "TABLE_PREFIX",
    )
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        AWS_REGION=os.environ["AWS_DEFAULT_REGION"],
        AWS_LAMBDA_FUNCTION_NAME="coalhaul-dev",
        LAMBDA_HANDLER=configured_entry(),
        LOG_LEVEL="INFO",
        PYTHONDONTWRITEBYTECODE="1",
    )
    assert env["TABLE_PREFIX"] == app.config["TABLE_PREFIX"]
    return env


@pytest.fixture(scope="session")
def invoke_lambda(app, package_dir, boto_dir, lambda_python):
    """invoke(events) → (results, stderr): one warm container handling the events in order."""

    def invoke(events):
        done = subprocess.run(
            [lambda_python, "-S", DRIVER, package_dir, boto_dir],
            input=json.dumps(events),
            capture_output=True,
            text=True,
            env=lambda_environment(app),
            cwd=package_dir,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        lines = [
            json.loads(line[len(RESULT_MARK) :]) for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)
        ]
        return lines, done.stdout + done.stderr

    return invoke

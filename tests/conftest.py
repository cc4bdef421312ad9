"""Session fixtures: one in-memory DynamoDB Local on a free port, the app bound to it, a live server."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from backend.localstore.dynamodb_local import REPO_ROOT, DynamoDBLocal, free_port, use_local_credentials
from backend.localstore.pay_sandbox import PaySandbox
from backend.localstore.province_sandbox import ProvinceSandbox
from backend.localstore.sms_sink import SmsSink

TEST_ENV = {
    "JWT_SECRET_KEY": "test-jwt-secret-0123456789abcdef0123456789",
    "DEVICE_MASTER_KEY": "test-device-master-0123456789abcdef",
    "SECRET_SEAL_KEY": "test-secret-seal-0123456789abcdef",
    "GATE_PASS_KEY": "test-gate-pass-0123456789abcdef0123",
    "TABLE_PREFIX": "test-",
    "LOG_LEVEL": "WARNING",
    # The whole suite signs in from 127.0.0.1 within minutes; the rate-limit tests lower these.
    "LOGIN_LIMIT_PER_ADDRESS": "5000",
    "OTP_SENDS_PER_ADDRESS": "5000",
    "OTP_REPLY_FLOOR_MS": "20",  # tests/auth/test_codes.py raises it where the floor is the point
    "SMS_PROVIDER": "sink",
    # Most suites want a buyer's order in the hall at once; tests/payments turns prepay on for its own server.
    "RETAIL_PREPAY": "false",
    # Report files and table exports the tests write stay out of the repository's .data/ (the live server too).
    "ANALYTICS_DIR": os.path.join(tempfile.gettempdir(), f"coalhaul-test-analytics-{os.getpid()}"),
}


class ServerURL(str):
    """The live server's base URL; `.app` lets pytest-flask push a request context beside it."""

    app = None


@pytest.fixture(scope="session")
def sms_sink():
    """The local SMS sink (Aliyun SendSms stand-in) on a free loopback port; `.messages(phone)` reads it."""
    sink = SmsSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def pay_sandbox():
    """The local payment sandbox (hosted page, signed notifications) on a free loopback port."""
    sandbox = PaySandbox().start()
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="session")
def province_sandbox():
    """The local province monitoring sandbox (WLHY uploads: decrypt, validate, acknowledge, verdict later)."""
    sandbox = ProvinceSandbox().start()
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="session")
def dynamodb(sms_sink, pay_sandbox, province_sandbox):
    """DynamoDB Local in memory for the whole session, stopped by PID at the end."""
    use_local_credentials()
    store = DynamoDBLocal().start()
    os.environ.update(
        TEST_ENV,
        DYNAMODB_HOST=store.endpoint,
        AWS_REGION=os.environ["AWS_DEFAULT_REGION"],
        SMS_ENDPOINT=f"127.0.0.1:{sms_sink.port}",
        PAY_SANDBOX_URL=pay_sandbox.url,
        PAY_SANDBOX_KEY=pay_sandbox.key,
        **province_sandbox.env(),
    )
    from backend import config

    config.environment.cache_clear()  # code outside an app reads the table parsed from this environment
    yield store
    store.stop()


@pytest.fixture(scope="session")
def app(dynamodb):
    """The app with every table created and the demo data loaded once."""
    from backend.app import create_app
    from backend.common.clock import now_ms
    from backend.db import create_tables
    from backend.seed.load import load_demo
    from backend.tables import ALL_MODELS

    application = create_app()
    application.config["TESTING"] = True
    with application.app_context():
        create_tables(ALL_MODELS)
        load_demo(now_ms())
    return application


@pytest.fixture(autouse=True)
def _nothing_remembered_between_tests():
    """Builders change windows, loads and mines behind the services' backs: no test inherits another's refusal
    notes or mine directory."""
    yield
    from backend.catalogue import directory
    from backend.common.recent_refusals import forget_all

    forget_all()
    directory.forget()  # nor the mine directory a hall read copied (builders edit mines behind its back too)


@pytest.fixture(scope="session")
def stream_poller(app, dynamodb):
    """DynamoDB Local's streams followed as Lambda's event source does (command centre aggregates); `.drain()`."""
    from backend.localstore.stream_poller import start_for_app

    poller = start_for_app(app, dynamodb.endpoint, background=False)
    yield poller
    poller.stop()


def serve_app(port=None, processes=1, **env):
    """backend.serve in its own process on a free loopback port, with `env` added: (process, url) once it answers."""
    port = port or free_port()
    env = dict(os.environ, **env)
    command = [sys.executable, "-m", "backend.serve", "--port", str(port), "--processes", str(processes)]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/manifest.webmanifest", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("live server did not start")


@pytest.fixture(scope="session")
def live_server(app, dynamodb, tmp_path_factory):
    """The app served by waitress in its own process on a free loopback port."""
    process, url = serve_app(RECEIPTS_DIR=str(tmp_path_factory.mktemp("uploads")))
    server_url = ServerURL(url)
    server_url.app = app
    yield server_url
    process.terminate()
    process.wait(timeout=10)

"""The prepay server: an app served with RETAIL_PREPAY on and notified by the sandbox (payments and e2e tests)."""

import json
import urllib.error
import urllib.request

import pytest

from backend.localstore.dynamodb_local import free_port
from tests.conftest import serve_app


class Served(str):
    """The prepay server's base URL with a small JSON client."""

    def call(self, method, path, *, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self + path, data=data, method=method, headers=dict(headers or {}))
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=15) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


@pytest.fixture(scope="session")
def prepay_server(app, dynamodb, pay_sandbox):
    """backend.serve in its own process: RETAIL_PREPAY on, notified by the sandbox at its own URL."""
    port = free_port()
    process, url = serve_app(
        port, RETAIL_PREPAY="true", PAY_PROVIDER="sandbox", PAY_NOTIFY_BASE_URL=f"http://127.0.0.1:{port}"
    )
    yield Served(url)
    process.terminate()
    process.wait(timeout=10)

"""Payments tests run against the prepay server (the session's servers send buyers' orders straight to the hall)."""

import pytest

from tests.payments.served import prepay_server  # noqa: F401 - the fixture, shared with tests/e2e/test_payments.py


@pytest.fixture
def prepay_app(app, prepay_server):  # noqa: F811 - the fixture imported above
    """The in-process app (jobs, direct notifications) configured as the prepay server is."""
    saved = {k: app.config[k] for k in ("RETAIL_PREPAY", "PAY_NOTIFY_BASE_URL")}
    app.config.update(RETAIL_PREPAY=True, PAY_NOTIFY_BASE_URL=str(prepay_server))
    with app.app_context():
        yield app
    app.config.update(saved)

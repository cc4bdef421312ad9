"""Helpers for sign-in tests: one browser-like client per user (its own cookie jar), the CSRF header, SMS codes."""

import uuid

import pytest

from tests.builders import PASSWORD

CSRF = {"X-Requested-With": "coalhaul"}


def key():
    return {"Idempotency-Key": uuid.uuid4().hex}


def bearer(token):
    return {"Authorization": f"Bearer {token}", **key()}


def login(web, phone, password=PASSWORD, **kw):
    return web.post("/api/auth/login", json={"phone": phone, "password": password}, **kw)


def refresh(web, **headers):
    return web.post("/api/auth/refresh", headers={**CSRF, **headers})


def refresh_cookie(web):
    cookie = web.get_cookie("ch_refresh", path="/api/auth")
    return cookie.value if cookie else None


def last_code(sms_sink, phone):
    """The code in the newest SMS the sink received for `phone` (None when nothing was sent)."""
    messages = sms_sink.messages(phone)
    return messages[-1]["template_param"]["code"] if messages else None


@pytest.fixture
def browser(app):
    """Factory: a fresh test client, like one phone's browser with its own cookies."""
    return app.test_client

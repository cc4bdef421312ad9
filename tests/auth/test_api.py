"""Sign-in, refresh, expiry, logout and rate limits over HTTP."""

import uuid

import pytest
from flask_jwt_extended import create_access_token

from tests.builders import PASSWORD, make_user, random_phone, refresh_headers_for


def login(client, phone, password=PASSWORD):
    return client.post("/api/auth/login", json={"phone": phone, "password": password})


def bearer(token):
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}


def test_login_returns_tokens_and_role(client):
    user = make_user("driver")
    reply = login(client, user.phone)
    assert reply.status_code == 200
    assert reply.json["user"]["role"] == "driver"
    me = client.get("/api/auth/me", headers=bearer(reply.json["access_token"])).json
    assert me["id"] == user.user_id
    # The reply dumps the user record: the password hash must never leave the server.
    assert "password_hash" not in reply.json["user"] and "password_hash" not in me


def test_wrong_password_is_401_in_the_error_shape(client):
    user = make_user("buyer")
    reply = login(client, user.phone, "not-the-password")
    assert reply.status_code == 401
    assert reply.json["error"]["code"] == "invalid_credentials"
    assert reply.headers["X-Request-Id"] == reply.json["error"]["request_id"]


def test_refresh_gives_a_new_access_token(client):
    user = make_user("carrier")
    reply = client.post("/api/auth/refresh", headers=refresh_headers_for(user))
    assert reply.status_code == 200
    assert client.get("/api/auth/me", headers=bearer(reply.json["access_token"])).status_code == 200


def test_access_token_cannot_refresh(client):
    user = make_user("carrier")
    access = create_access_token(identity=user.user_id)
    assert client.post("/api/auth/refresh", headers=bearer(access)).status_code == 401


def test_expired_token_is_rejected(client):
    from datetime import timedelta

    user = make_user("buyer")
    token = create_access_token(
        identity=user.user_id, additional_claims={"role": "buyer"}, expires_delta=timedelta(seconds=-1)
    )
    reply = client.get("/api/auth/me", headers=bearer(token))
    assert reply.status_code == 401 and reply.json["error"]["code"] == "token_expired"


def test_logout_revokes_the_refresh_token_and_access_tokens_are_short_lived(client, app):
    user = make_user("shipper")
    tokens = login(client, user.phone).json
    reply = client.post(
        "/api/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=bearer(tokens["access_token"])
    )
    assert reply.status_code == 200
    # Access tokens are not looked up per request (no blocklist read): they expire within ten minutes.
    assert app.config["JWT_ACCESS_TOKEN_EXPIRES"] <= 600
    refreshed = client.post("/api/auth/refresh", headers={"Authorization": f"Bearer {tokens['refresh_token']}"})
    assert refreshed.status_code == 401


def test_register_buyer_then_duplicate_phone_is_409(client):
    phone = random_phone()
    body = {"phone": phone, "password": "long-enough-1", "name": "砖厂 王老板"}
    first = client.post("/api/auth/register", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert first.status_code == 201 and first.json["role"] == "buyer"
    again = client.post("/api/auth/register", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert again.status_code == 409 and again.json["error"]["code"] == "phone_taken"


@pytest.mark.parametrize("field,value", [("phone", "12345"), ("password", "short"), ("role", "admin")])
def test_register_rejects_bad_fields_naming_them(client, field, value):
    body = {"phone": random_phone(), "password": "long-enough-1", "name": "x", field: value}
    reply = client.post("/api/auth/register", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert reply.status_code == 400
    assert field in reply.json["error"]["details"]["fields"]


def test_login_is_rate_limited_per_number(client, app, monkeypatch):
    user = make_user("driver")
    limit = 5
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_PHONE", limit)
    for _ in range(limit):
        assert login(client, user.phone, "wrong-password").status_code == 401
    blocked = login(client, user.phone)  # even the right password waits out the window
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0


def test_login_is_rate_limited_per_address(client, app, monkeypatch):
    limit = 8
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", limit)
    env = {"REMOTE_ADDR": f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"}
    codes = [
        client.post("/api/auth/login", json={"phone": random_phone(), "password": "x"}, environ_base=env).status_code
        for _ in range(limit + 1)
    ]
    assert codes[:limit] == [401] * limit and codes[-1] == 429

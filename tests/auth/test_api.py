"""Sign-in, the refresh cookie and its rotation, logout, and the access token's short life over HTTP."""

import pytest
from flask_jwt_extended import create_access_token

from tests.auth.conftest import CSRF, bearer, login, refresh, refresh_cookie
from tests.builders import make_user


def test_login_returns_an_access_token_and_keeps_the_refresh_token_in_an_httponly_cookie(browser):
    web, user = browser(), make_user("driver")
    reply = login(web, user.phone)
    assert reply.status_code == 200 and reply.json["user"]["role"] == "driver"
    assert "refresh_token" not in reply.json  # script on the page never sees it
    cookie = reply.headers["Set-Cookie"]
    assert "ch_refresh=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/api/auth" in cookie
    me = web.get("/api/auth/me", headers=bearer(reply.json["access_token"])).json
    assert me["id"] == user.user_id
    assert "password_hash" not in reply.json["user"] and "password_hash" not in me


def test_the_cookie_is_secure_over_tls(browser):
    web, user = browser(), make_user("driver")
    reply = login(web, user.phone, base_url="https://coalhaul.example")
    assert "Secure" in reply.headers["Set-Cookie"]


def test_wrong_password_is_401_in_the_error_shape(browser):
    reply = login(browser(), make_user("buyer").phone, "not-the-password")
    assert reply.status_code == 401 and reply.json["error"]["code"] == "invalid_credentials"
    assert reply.headers["X-Request-Id"] == reply.json["error"]["request_id"]


def test_refresh_rotates_the_cookie_and_a_replayed_old_one_ends_the_session(browser):
    web, user = browser(), make_user("carrier")
    login(web, user.phone)
    first = refresh_cookie(web)
    reply = refresh(web)
    assert reply.status_code == 200
    assert web.get("/api/auth/me", headers=bearer(reply.json["access_token"])).status_code == 200
    second = refresh_cookie(web)
    assert second and second != first
    assert refresh(web).status_code == 200  # rotated again: `first` is now two rotations old
    thief = browser()
    thief.set_cookie("ch_refresh", first, path="/api/auth")
    stolen = refresh(thief)
    assert stolen.status_code == 401 and stolen.json["error"]["code"] == "token_reused"
    assert refresh(web).status_code == 401  # the whole family is revoked, the newest token too


def test_the_token_a_rotation_just_replaced_still_works_briefly(browser):
    # A page reloaded while its refresh was in flight never got the new cookie: it sends the old one again.
    web, user = browser(), make_user("carrier")
    login(web, user.phone)
    before = refresh_cookie(web)
    assert refresh(web).status_code == 200
    reloaded = browser()
    reloaded.set_cookie("ch_refresh", before, path="/api/auth")
    again = refresh(reloaded)
    assert again.status_code == 200 and refresh_cookie(reloaded) not in (None, before)
    assert refresh(reloaded).status_code == 200  # the session goes on from the newest cookie


def test_after_the_grace_the_replaced_token_is_theft(browser, app, monkeypatch):
    monkeypatch.setitem(app.config, "REFRESH_REUSE_GRACE_SECONDS", -1)  # every replaced token is past it
    web, user = browser(), make_user("carrier")
    login(web, user.phone)
    before = refresh_cookie(web)
    assert refresh(web).status_code == 200
    late = browser()
    late.set_cookie("ch_refresh", before, path="/api/auth")
    assert refresh(late).json["error"]["code"] == "token_reused"


def test_refresh_needs_the_csrf_header_and_this_sites_origin(browser):
    web, user = browser(), make_user("carrier")
    login(web, user.phone)
    assert web.post("/api/auth/refresh").status_code == 403
    assert refresh(web, Origin="https://evil.example").status_code == 403
    assert refresh(web, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert refresh(web, Origin="http://localhost").status_code == 200  # refused ones rotated nothing


def test_an_access_token_is_not_a_refresh_token(browser):
    web, user = browser(), make_user("carrier")
    web.set_cookie("ch_refresh", create_access_token(identity=user.user_id), path="/api/auth")
    assert refresh(web).status_code == 401


def test_expired_token_is_rejected(browser):
    from datetime import timedelta

    user = make_user("buyer")
    token = create_access_token(
        identity=user.user_id, additional_claims={"role": "buyer"}, expires_delta=timedelta(seconds=-1)
    )
    reply = browser().get("/api/auth/me", headers=bearer(token))
    assert reply.status_code == 401 and reply.json["error"]["code"] == "token_expired"


def test_logout_ends_this_devices_session_only(browser, app):
    phone, laptop, user = browser(), browser(), make_user("shipper")
    login(phone, user.phone)
    login(laptop, user.phone)
    kept = refresh_cookie(phone)
    assert phone.post("/api/auth/logout", headers=CSRF).status_code == 200
    assert refresh_cookie(phone) is None  # the cookie is deleted
    phone.set_cookie("ch_refresh", kept, path="/api/auth")
    assert refresh(phone).status_code == 401
    assert refresh(laptop).status_code == 200
    # Access tokens are not looked up per request (no blocklist read): they expire within ten minutes.
    assert app.config["JWT_ACCESS_TOKEN_EXPIRES"] <= 600


@pytest.mark.parametrize(
    "headers, cookie",
    [({}, "real"), ({**CSRF, "Origin": "https://evil.example"}, "real"), (CSRF, "forged"), (CSRF, None)],
)
def test_a_failed_logout_revokes_nothing(browser, headers, cookie):
    web, user = browser(), make_user("shipper")
    login(web, user.phone)
    real = refresh_cookie(web)
    attempt = browser()
    if cookie:
        attempt.set_cookie("ch_refresh", real if cookie == "real" else real[:-4] + "AAAA", path="/api/auth")
    assert attempt.post("/api/auth/logout", headers=headers).status_code in (401, 403)
    assert refresh(web).status_code == 200

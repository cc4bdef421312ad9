"""Disabling an account or resetting its password ends its sessions: refresh and batched writes at once, reads
within REVOCATION_POLL_SECONDS (each process's copy of recent cut-offs)."""

import jwt as pyjwt
import pytest

from backend.auth import revocations
from backend.auth import service as auth_service
from backend.common.clock import now_ms
from tests.auth.conftest import CSRF, bearer, login, refresh
from tests.builders import make_user
from tests.orders.helpers import driver_with_truck, make_mine, place_retail


def grab(web, token, vehicle, waybill_id):
    return web.post(f"/api/hall/{waybill_id}/grab", json={"vehicle_id": vehicle.vehicle_id}, headers=bearer(token))


def test_a_disabled_driver_can_neither_refresh_nor_write_with_the_token_they_hold(browser, client):
    driver, truck = driver_with_truck()
    load = place_retail(client, make_user("buyer"), make_mine()).json
    web = browser()
    token = login(web, driver.phone).json["access_token"]
    carrier = make_user("carrier", org_id=driver.org_id)
    disabled = client.patch(
        f"/api/fleet/drivers/{driver.user_id}",
        json={"status": "disabled"},
        headers=bearer(login(browser(), carrier.phone).json["access_token"]),
    )
    assert disabled.status_code == 200, disabled.json
    assert refresh(web).status_code == 401
    refused = grab(web, token, truck, load["id"])
    assert refused.status_code == 401 and refused.json["error"]["code"] == "token_revoked"


def issued_earlier(app, token, seconds):
    """The same access token as if issued `seconds` ago (a session that predates the reset)."""
    secret = app.config["JWT_SECRET_KEY"]
    claims = pyjwt.decode(token, secret, algorithms=["HS256"])
    claims["iat"] -= seconds
    claims["nbf"] = claims["iat"]
    return pyjwt.encode(claims, secret, algorithm="HS256")


def test_after_a_password_reset_old_access_tokens_cannot_write_but_new_ones_can(app, browser, client):
    driver, truck = driver_with_truck()
    load = place_retail(client, make_user("buyer"), make_mine()).json
    old = issued_earlier(app, login(browser(), driver.phone).json["access_token"], 5)
    auth_service.update_user(driver, tokens_after=now_ms())  # what a reset records
    assert grab(browser(), old, truck, load["id"]).status_code == 401
    web = browser()
    fresh = login(web, driver.phone).json["access_token"]
    assert grab(web, fresh, truck, load["id"]).status_code == 200
    assert web.post("/api/auth/logout", headers=CSRF).status_code == 200


@pytest.fixture
def poll_every_request(app, monkeypatch):
    monkeypatch.setitem(app.config, "REVOCATION_POLL_SECONDS", 0)


def test_a_disabled_drivers_token_stops_reading_too_once_the_cut_offs_are_re_read(app, browser, poll_every_request):
    driver, _truck = driver_with_truck()
    token = issued_earlier(app, login(browser(), driver.phone).json["access_token"], 5)
    web = browser()
    assert web.get("/api/waybills", headers=bearer(token)).status_code == 200
    auth_service.update_user(driver, status="disabled", updated_at=now_ms())
    refused = web.get("/api/waybills", headers=bearer(token))
    assert refused.status_code == 401 and refused.json["error"]["code"] == "token_revoked"


def test_other_users_keep_reading_and_a_fresh_copy_of_the_cut_offs_costs_no_call(app, browser, monkeypatch):
    from tests.callcount import count_calls

    driver, _truck = driver_with_truck()
    other, _ = driver_with_truck()
    auth_service.update_user(driver, status="disabled", updated_at=now_ms())
    token = login(browser(), other.phone).json["access_token"]
    monkeypatch.setitem(app.config, "REVOCATION_POLL_SECONDS", 3600)
    with count_calls() as checked:
        assert browser().get("/api/waybills", headers=bearer(token)).status_code == 200
    monkeypatch.setitem(app.config, "REVOCATION_POLL_SECONDS", -1)
    with count_calls() as unchecked:
        assert browser().get("/api/waybills", headers=bearer(token)).status_code == 200
    assert checked == unchecked


def test_only_cut_offs_that_can_still_refuse_a_token_are_read(app):
    from backend.auth import store

    with app.app_context():
        now = now_ms()
        lifetime = revocations.token_lifetime_ms()
        old, recent = make_user("driver"), make_user("driver")
        store.update_user(old, tokens_after=now - lifetime - 120_000, cutoff_expires_at=now)
        store.update_user(recent, tokens_after=now, cutoff_expires_at=revocations.cutoff_expiry_ms(now))
        read = store.cutoffs_since(now - lifetime - 60_000)
    assert read.get(recent.user_id) == now and old.user_id not in read

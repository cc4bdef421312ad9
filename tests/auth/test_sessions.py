"""Disabling an account or resetting its password ends its sessions at once: refresh and batched writes."""

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


def test_after_a_password_reset_old_access_tokens_cannot_write_but_new_ones_can(browser, client):
    driver, truck = driver_with_truck()
    load = place_retail(client, make_user("buyer"), make_mine()).json
    old = login(browser(), driver.phone).json["access_token"]
    auth_service.update_user(driver, tokens_after=now_ms() + 2000)  # what a reset records
    assert grab(browser(), old, truck, load["id"]).status_code == 401
    auth_service.update_user(driver, tokens_after=now_ms() - 2000)
    web = browser()
    fresh = login(web, driver.phone).json["access_token"]
    assert grab(web, fresh, truck, load["id"]).status_code == 200
    assert web.post("/api/auth/logout", headers=CSRF).status_code == 200

"""The admin's people screen API: a company's accounts page by page, and disabling one ends its sessions."""

from tests.builders import PASSWORD, headers_for, make_org, make_user


def test_an_admin_lists_a_companys_accounts_a_page_at_a_time_and_by_role(client):
    admin, carrier = make_user("admin"), make_org("carrier")
    drivers = {make_user("driver", org_id=carrier.org_id).user_id for _ in range(3)}
    boss = make_user("carrier", org_id=carrier.org_id)
    make_user("driver", org_id=make_org("carrier").org_id)  # another company's driver is not listed

    first = client.get(f"/api/admin/orgs/{carrier.org_id}/users?limit=2", headers=headers_for(admin))
    assert first.status_code == 200 and len(first.json["items"]) == 2 and first.json["next_cursor"]
    rest = client.get(
        f"/api/admin/orgs/{carrier.org_id}/users?limit=10&cursor={first.json['next_cursor']}",
        headers=headers_for(admin),
    )
    listed = {u["id"] for u in first.json["items"] + rest.json["items"]}
    assert listed == drivers | {boss.user_id}
    assert all("password_hash" not in u and "password" not in u for u in first.json["items"])
    only = client.get(f"/api/admin/orgs/{carrier.org_id}/users?role=driver", headers=headers_for(admin))
    assert {u["id"] for u in only.json["items"]} == drivers


def test_an_unknown_company_is_a_404_and_a_bad_role_a_400_naming_it(client):
    admin = make_user("admin")
    assert client.get("/api/admin/orgs/nosuch/users", headers=headers_for(admin)).status_code == 404
    bad = client.get(f"/api/admin/orgs/{make_org('shipper').org_id}/users?role=king", headers=headers_for(admin))
    assert bad.status_code == 400 and "role" in bad.json["error"]["details"]["fields"]


def test_a_disabled_account_cannot_sign_in_until_enabled_again(client):
    admin, driver = make_user("admin"), make_user("driver", org_id=make_org("carrier").org_id)
    signed = lambda: client.post("/api/auth/login", json={"phone": driver.phone, "password": PASSWORD})  # noqa: E731
    assert signed().status_code == 200
    off = client.patch(f"/api/admin/users/{driver.user_id}", json={"status": "disabled"}, headers=headers_for(admin))
    assert off.status_code == 200 and off.json["status"] == "disabled"
    assert signed().status_code in (401, 403)
    on = client.patch(f"/api/admin/users/{driver.user_id}", json={"status": "active"}, headers=headers_for(admin))
    assert on.status_code == 200 and signed().status_code == 200


def test_an_admin_cannot_disable_themselves_and_nobody_else_may_disable_anyone(client):
    admin, dispatcher = make_user("admin"), make_user("dispatcher")
    own = client.patch(f"/api/admin/users/{admin.user_id}", json={"status": "disabled"}, headers=headers_for(admin))
    assert own.status_code == 409 and own.json["error"]["code"] == "cannot_disable_self"
    other = client.patch(
        f"/api/admin/users/{admin.user_id}", json={"status": "disabled"}, headers=headers_for(dispatcher)
    )
    assert other.status_code == 403
    missing = client.patch("/api/admin/users/nosuch", json={"status": "disabled"}, headers=headers_for(admin))
    assert missing.status_code == 404

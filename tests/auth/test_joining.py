"""Drivers and carriers' staff sign up with an SMS code too: an owner-driver is in at once; whoever joins a carrier
with its invite code waits, visible to the carrier, until it approves."""

import base64

from tests.auth.conftest import key, last_code, login
from tests.builders import headers_for, make_org, make_user, random_phone

PASSWORD = "blue-coal-truck-7"


def sign_up(web, sms_sink, role, invite_code=None, phone=None):
    phone = phone or random_phone()
    web.post("/api/auth/otp", json={"purpose": "register", "phone": phone}, headers=key())
    body = {"phone": phone, "otp": last_code(sms_sink, phone), "password": PASSWORD, "name": "司机 新人", "role": role}
    if invite_code:
        body["invite_code"] = invite_code
    return phone, web.post("/api/auth/register", json=body, headers=key())


def code_of(client, carrier_admin):
    reply = client.get("/api/auth/invite-code", headers=headers_for(carrier_admin))
    assert reply.status_code == 200
    return reply.json["code"]


def test_an_owner_driver_signs_up_and_signs_in_at_once(browser, sms_sink):
    web = browser()
    phone, created = sign_up(web, sms_sink, "driver")
    assert created.status_code == 201 and created.json["role"] == "driver" and created.json["org_id"] is None
    assert login(web, phone, PASSWORD).status_code == 200


def test_a_driver_joining_a_carrier_waits_for_its_approval(browser, client, sms_sink):
    org = make_org("carrier")
    boss = make_user("carrier", org_id=org.org_id)
    web = browser()
    phone, created = sign_up(web, sms_sink, "driver", invite_code=code_of(client, boss))
    assert created.status_code == 201 and created.json["status"] == "pending" and created.json["org_id"] == org.org_id
    refused = login(web, phone, PASSWORD)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "account_pending"
    waiting = client.get("/api/auth/join-requests", headers=headers_for(boss)).json["items"]
    assert [u["phone"] for u in waiting] == [phone]
    other_boss = make_user("carrier", org_id=make_org("carrier").org_id)
    path = f"/api/auth/join-requests/{created.json['id']}"
    assert client.post(path, json={"decision": "approve"}, headers=headers_for(other_boss)).status_code == 404
    approved = client.post(path, json={"decision": "approve"}, headers=headers_for(boss))
    assert approved.status_code == 200 and approved.json["status"] == "active"
    signed_in = login(web, phone, PASSWORD)
    assert signed_in.status_code == 200 and signed_in.json["user"]["org_id"] == org.org_id
    assert client.get("/api/auth/join-requests", headers=headers_for(boss)).json["items"] == []


def test_staff_need_the_code_and_a_refused_one_stays_out(browser, client, sms_sink):
    boss = make_user("carrier", org_id=make_org("carrier").org_id)
    _, no_code = sign_up(browser(), sms_sink, "carrier")
    assert no_code.status_code == 400 and "invite_code" in no_code.json["error"]["details"]["fields"]
    web = browser()
    phone, created = sign_up(web, sms_sink, "carrier", invite_code=code_of(client, boss))
    refused = client.post(
        f"/api/auth/join-requests/{created.json['id']}", json={"decision": "refuse"}, headers=headers_for(boss)
    )
    assert refused.status_code == 200 and refused.json["status"] == "refused"
    assert login(web, phone, PASSWORD).json["error"]["code"] == "account_disabled"


def test_a_wrong_or_forged_code_is_refused_naming_the_field(browser, client, sms_sink):
    boss = make_user("carrier", org_id=make_org("carrier").org_id)
    real = code_of(client, boss)
    shipper = base64.b32encode(make_org("shipper").org_id.encode()).decode().rstrip("=")
    assert "org_" not in real  # people never read an internal id
    for code in (
        real[:-1] + ("A" if real[-1] != "A" else "B"),
        f"{shipper}-{real.rsplit('-', 1)[1]}",
        "nonsense",
        "@@-X",
    ):
        _, reply = sign_up(browser(), sms_sink, "driver", invite_code=code)
        assert reply.status_code == 400 and "invite_code" in reply.json["error"]["details"]["fields"], code


def test_nobody_signs_up_as_an_admin_or_a_gate(browser, sms_sink):
    for role in ("admin", "gate", "dispatcher", "shipper"):
        _, reply = sign_up(browser(), sms_sink, role)
        assert reply.status_code == 400 and "role" in reply.json["error"]["details"]["fields"]

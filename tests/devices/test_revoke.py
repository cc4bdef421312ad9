"""A revoked device's key stops working at once; only who may register a site's devices may revoke them."""

import time

from backend.devices.signing import signed_headers
from tests.builders import headers_for, make_user
from tests.catalogue.sites import onboard, site_body

PATH = "/api/devices/heartbeat"


def register(client, user, mine_id="mine_hll", lane_id="1"):
    body = {"kind": "camera", "name": "1号道闸相机", "mine_id": mine_id, "lane_id": lane_id}
    reply = client.post("/api/admin/devices", json=body, headers=headers_for(user))
    assert reply.status_code == 201
    return reply.json["id"], reply.json["key"]


def heartbeat(client, device_id, key):
    headers = signed_headers(device_id, key, "POST", PATH, b"{}", int(time.time() * 1000))
    return client.post(PATH, data=b"{}", headers=dict(headers, **{"Content-Type": "application/json"}))


def test_a_revoked_camera_is_refused_from_then_on(client):
    admin = make_user("admin")
    device_id, key = register(client, admin)
    assert heartbeat(client, device_id, key).status_code == 200
    reply = client.post(f"/api/admin/devices/{device_id}/revoke", json={}, headers=headers_for(admin))
    assert reply.status_code == 200 and reply.json["status"] == "revoked" and reply.json["revoked_at"]
    refused = heartbeat(client, device_id, key)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "device_unknown"
    again = client.post(f"/api/admin/devices/{device_id}/revoke", json={}, headers=headers_for(admin))
    assert again.status_code == 200 and again.json["status"] == "revoked"


def test_gate_staff_revoke_only_their_own_sites_devices(client):
    body = site_body()
    onboard(client, body)
    own_gate = make_user("gate", mine_id=body["id"])
    theirs, _ = register(client, make_user("admin"))  # at mine_hll
    ours, _ = register(client, own_gate, mine_id=body["id"], lane_id="2")
    assert client.post(f"/api/admin/devices/{theirs}/revoke", json={}, headers=headers_for(own_gate)).status_code == 403
    assert client.post(f"/api/admin/devices/{ours}/revoke", json={}, headers=headers_for(own_gate)).status_code == 200
    missing = client.post("/api/admin/devices/dev_nothing/revoke", json={}, headers=headers_for(own_gate))
    assert missing.status_code == 404 and missing.json["error"]["code"] == "device_not_found"

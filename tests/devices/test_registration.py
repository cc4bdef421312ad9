"""Devices stand on an existing site's lane; gate staff keep only their own; no read is stored unscored."""

import json

from backend.common.clock import now_ms
from backend.devices import store as devices_store
from backend.devices.models import Device
from backend.devices.signing import signed_headers
from backend.gate import store as gate_store
from tests.builders import headers_for, make_user, random_plate, random_ref
from tests.catalogue.sites import onboard, site_body

CAMERA = {"kind": "camera", "name": "1号道闸相机"}


def register(client, user, **body):
    return client.post("/api/admin/devices", json={**CAMERA, **body}, headers=headers_for(user))


def read(client, device_id, key, plate):
    path, at = "/api/gate/sightings", now_ms()
    raw = json.dumps({"plate": plate, "plate_color": "yellow", "confidence": 95}, ensure_ascii=False).encode()
    headers = signed_headers(device_id, key, "POST", path, raw, at)
    return client.post(path, data=raw, headers=headers, content_type="application/json")


def stored(mine_id):
    items, _ = gate_store.list_mine_sightings(mine_id, limit=10, last_evaluated_key=None)
    return items


def test_unknown_site_or_lane_is_refused_naming_the_field(client):
    admin = make_user("admin")
    unknown_site = register(client, admin, mine_id=random_ref("mine"), lane_id="1")
    assert unknown_site.status_code == 400 and "mine_id" in unknown_site.json["error"]["details"]["fields"]
    unknown_lane = register(client, admin, mine_id="mine_hll", lane_id="9")
    assert unknown_lane.status_code == 400 and "lane_id" in unknown_lane.json["error"]["details"]["fields"]
    no_lane = register(client, admin, mine_id="mine_hll")
    assert no_lane.status_code == 400 and "lane_id" in no_lane.json["error"]["details"]["fields"]
    assert register(client, admin, mine_id="mine_hll", lane_id="1").status_code == 201


def test_gate_staff_register_and_list_only_their_own_sites_devices(client):
    body = site_body()
    onboard(client, body)
    own = make_user("gate", mine_id=body["id"])
    assert register(client, own, mine_id="mine_hll", lane_id="1").status_code == 403
    mine = register(client, own, mine_id=body["id"], lane_id="2")
    assert mine.status_code == 201 and mine.json["lane_id"] == "2"
    listed = client.get("/api/admin/devices", headers=headers_for(own)).json["items"]
    assert [d["id"] for d in listed] == [mine.json["id"]]
    other = client.get(
        f"/api/admin/devices?mine_id={body['id']}", headers=headers_for(make_user("gate", mine_id="mine_hll"))
    )
    assert other.status_code == 403
    everyone = client.get(f"/api/admin/devices?mine_id={body['id']}", headers=headers_for(make_user("dispatcher")))
    assert [d["id"] for d in everyone.json["items"]] == [mine.json["id"]]


def test_a_read_from_a_removed_lane_is_refused_and_not_stored(client):
    body = site_body()
    onboard(client, body)
    admin = make_user("admin")
    camera = register(client, admin, mine_id=body["id"], lane_id="2").json
    assert read(client, camera["id"], camera["key"], random_plate()).status_code == 201
    client.patch(f"/api/sites/{body['id']}", json={"lanes": body["lanes"][:1]}, headers=headers_for(admin))
    refused = read(client, camera["id"], camera["key"], random_plate())
    assert refused.status_code == 409 and refused.json["error"]["code"] == "device_lane_unknown"
    assert len(stored(body["id"])) == 1


def test_a_read_from_a_device_of_an_unknown_site_is_refused_and_not_stored(client):
    # A record left from before registration checked sites (today's API can no longer make one).
    mine_id = random_ref("mine")
    device = devices_store.save_device(
        Device(random_ref("dev"), kind="camera", name="old", mine_id=mine_id, key_salt="s", created_at=now_ms())
    )
    from flask import current_app

    from backend.devices.signing import derive_key

    key = derive_key(current_app.config["DEVICE_MASTER_KEY"], device.device_id, "s")
    refused = read(client, device.device_id, key, random_plate())
    assert refused.status_code == 409 and refused.json["error"]["code"] == "device_site_unknown"
    assert stored(mine_id) == []

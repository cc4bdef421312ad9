"""Devices sign requests; wrong, stale, replayed or tampered ones are refused."""

import json
import time

import pytest

from backend.devices.signing import signed_headers
from tests.builders import headers_for, make_user

PATH = "/api/devices/heartbeat"


@pytest.fixture
def device(client):
    admin = make_user("admin")
    reply = client.post(
        "/api/admin/devices",
        json={"kind": "camera", "name": "红柳林 1号道闸相机", "mine_id": "mine_hll", "lane_id": "1"},
        headers=headers_for(admin),
    )
    assert reply.status_code == 201
    return reply.json["id"], reply.json["key"]


def post(client, headers, body=b"{}"):
    return client.post(PATH, data=body, headers=dict(headers, **{"Content-Type": "application/json"}))


def now_ms():
    return int(time.time() * 1000)


def test_good_signature_is_accepted(client, device):
    device_id, key = device
    reply = post(client, signed_headers(device_id, key, "POST", PATH, b"{}", now_ms()))
    assert reply.status_code == 200 and reply.json["id"] == device_id and reply.json["last_seen_at"]


def test_key_is_shown_once_not_listed(client, device):
    admin = make_user("admin")
    listed = client.get("/api/admin/devices", headers=headers_for(admin)).json["items"]
    assert all("key" not in d for d in listed)
    # The salt and the master key derive the device's key: the record's salt is never in a reply.
    assert device[0] in {d["id"] for d in listed} and all("key_salt" not in d for d in listed)


def test_wrong_key_is_refused(client, device):
    device_id, _ = device
    reply = post(client, signed_headers(device_id, "0" * 64, "POST", PATH, b"{}", now_ms()))
    assert reply.status_code == 401 and reply.json["error"]["code"] == "device_bad_signature"


def test_stale_timestamp_is_refused(client, device):
    device_id, key = device
    reply = post(client, signed_headers(device_id, key, "POST", PATH, b"{}", now_ms() - 6 * 60 * 1000))
    assert reply.status_code == 401 and reply.json["error"]["code"] == "device_stale_request"


def test_replayed_request_is_refused(client, device):
    device_id, key = device
    headers = signed_headers(device_id, key, "POST", PATH, b"{}", now_ms())
    assert post(client, headers).status_code == 200
    replay = post(client, headers)
    assert replay.status_code == 401 and replay.json["error"]["code"] == "device_replayed"


def test_tampered_body_is_refused(client, device):
    device_id, key = device
    signed_body = json.dumps({"reading": 1}).encode()
    headers = signed_headers(device_id, key, "POST", PATH, signed_body, now_ms())
    reply = post(client, headers, json.dumps({"reading": 2}).encode())
    assert reply.status_code == 401 and reply.json["error"]["code"] == "device_bad_signature"


def test_unsigned_request_is_refused(client):
    reply = post(client, {})
    assert reply.status_code == 401 and reply.json["error"]["code"] == "device_auth_required"

"""Idempotency-Key: a replay returns the first reply and nothing is written twice.

A reused key with another body is a 422.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor

from backend.accounts import store as accounts_store
from tests.builders import headers_for, make_org, make_user, random_plate


def vehicle_body(plate=None):
    return {
        "plate": plate or random_plate(),
        "plate_color": "yellow",
        "axles": 6,
        "tare_kg": 15000,
        "rated_load_kg": 34000,
    }


def carrier_headers(key):
    user = make_user("carrier", org_id=make_org("carrier").org_id)
    return user, headers_for(user, idempotency_key=key)


def test_replay_returns_the_same_reply_and_writes_once(client):
    user, headers = carrier_headers(uuid.uuid4().hex)
    body = vehicle_body()
    first = client.post("/api/fleet/vehicles", json=body, headers=headers)
    second = client.post("/api/fleet/vehicles", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json == first.json and second.headers["Idempotent-Replayed"] == "true"
    fleet, _ = accounts_store.list_carrier_vehicles(user.org_id, limit=10, last_evaluated_key=None)
    assert [v.plate for v in fleet] == [body["plate"]]


def test_same_key_with_another_body_is_422(client):
    _, headers = carrier_headers(uuid.uuid4().hex)
    assert client.post("/api/fleet/vehicles", json=vehicle_body(), headers=headers).status_code == 201
    reply = client.post("/api/fleet/vehicles", json=vehicle_body(), headers=headers)
    assert reply.status_code == 422 and reply.json["error"]["code"] == "idempotency_key_reused"


def test_writes_without_a_key_are_refused_naming_the_header(client):
    user = make_user("carrier", org_id=make_org("carrier").org_id)
    headers = headers_for(user)
    del headers["Idempotency-Key"]
    reply = client.post("/api/fleet/vehicles", json=vehicle_body(), headers=headers)
    assert reply.status_code == 400 and "Idempotency-Key" in reply.json["error"]["details"]["fields"]


def test_keys_are_scoped_per_user(client):
    key = uuid.uuid4().hex
    _, first_headers = carrier_headers(key)
    _, second_headers = carrier_headers(key)
    first = client.post("/api/fleet/vehicles", json=vehicle_body(), headers=first_headers)
    second = client.post("/api/fleet/vehicles", json=vehicle_body(), headers=second_headers)
    assert first.status_code == second.status_code == 201 and first.json["id"] != second.json["id"]


def test_a_failed_write_can_be_retried_with_the_same_key(client):
    _, headers = carrier_headers(uuid.uuid4().hex)
    taken = random_plate()
    _, other = carrier_headers(uuid.uuid4().hex)
    assert client.post("/api/fleet/vehicles", json=vehicle_body(taken), headers=other).status_code == 201
    refused = client.post("/api/fleet/vehicles", json=vehicle_body(taken), headers=headers)
    assert refused.status_code == 409
    again = client.post("/api/fleet/vehicles", json=vehicle_body(taken), headers=headers)
    assert again.status_code == 409 and "Idempotent-Replayed" not in again.headers


def test_concurrent_duplicates_write_once(app):
    user, headers = carrier_headers(uuid.uuid4().hex)
    body = vehicle_body()

    def send(_):
        with app.test_client() as c:
            return c.post("/api/fleet/vehicles", json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(send, range(16)))
    assert codes.count(201) >= 1 and set(codes) <= {201, 409}
    fleet, _ = accounts_store.list_carrier_vehicles(user.org_id, limit=50, last_evaluated_key=None)
    assert len(fleet) == 1


def test_a_device_id_header_never_opens_someone_elses_stored_reply(client):
    user, headers = carrier_headers(uuid.uuid4().hex)
    body = vehicle_body()
    first = client.post("/api/fleet/vehicles", json=body, headers=dict(headers, **{"X-Device-Id": "dev_guess"}))
    assert first.status_code == 201
    stranger = {"X-Device-Id": "dev_guess", "Idempotency-Key": headers["Idempotency-Key"]}
    replay = client.post("/api/fleet/vehicles", json=body, headers=stranger)
    assert replay.status_code == 401 and "Idempotent-Replayed" not in replay.headers


def test_a_claim_left_by_a_dead_request_frees_its_key_after_the_lease(client, app):
    from backend.common import store
    from backend.common.clock import now_ms

    user, headers = carrier_headers(uuid.uuid4().hex)
    body = vehicle_body()
    # A request claimed the key and its container died before finishing (its lease ran out a second ago).
    scoped = f"user:{user.user_id}#{headers['Idempotency-Key']}"
    with app.test_request_context("/api/fleet/vehicles", method="POST", json=body):
        from backend.common.idempotency import _request_hash

        digest = _request_hash()
    assert store.claim_idempotency(
        key=scoped, request_hash=digest, now_ms=now_ms() - 31_000, ttl_seconds=86400, lease_ms=30_000
    )
    retried = client.post("/api/fleet/vehicles", json=body, headers=headers)
    assert retried.status_code == 201


def test_a_stored_reply_never_keeps_a_device_key(client):
    admin = make_user("admin")
    headers = headers_for(admin)
    body = {"kind": "camera", "name": "一号道闸", "mine_id": "mine_hll", "lane_id": "1"}
    first = client.post("/api/admin/devices", json=body, headers=headers)
    assert first.status_code == 201 and first.json["key"]
    again = client.post("/api/admin/devices", json=body, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json["key"] is None
    assert again.json["id"] == first.json["id"]

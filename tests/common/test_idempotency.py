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

"""Issue 18's findings on input and headers: bad input is a 4xx in our shape naming the field, never a 5xx."""

import json

import pytest

from backend.common import faults
from backend.common.text_repair import repair_table
from backend.waybills.models import Waybill
from tests.builders import headers_for, make_org, make_user, random_plate
from tests.orders.helpers import driver_with_truck, make_mine, place_retail, retail_body


def _fields(reply):
    assert set(reply.json["error"]) >= {"code", "message", "details", "request_id"}, reply.json
    return reply.json["error"]["details"].get("fields", {})


def _vehicle(**overrides):
    return dict(
        {"plate": random_plate(), "plate_color": "yellow", "axles": 6, "tare_kg": 15000, "rated_load_kg": 34000},
        **overrides,
    )


@pytest.fixture(scope="module")
def carrier(app):
    with app.app_context():
        return make_user("carrier", org_id=make_org("carrier").org_id)


def test_a_lone_surrogate_in_a_buyers_address_is_a_400_naming_the_field(client):
    body = retail_body(make_mine())
    body["destination"] = dict(body["destination"], address="神木市\ud800砖厂")  # SITE is shared: a copy
    raw = json.dumps(body)  # ASCII JSON with the "\ud800" escape, as a client would send it
    reply = client.post(
        "/api/orders/retail", data=raw, content_type="application/json", headers=headers_for(make_user("buyer"))
    )
    assert reply.status_code == 400
    assert "destination.address" in _fields(reply)


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\u0085", "\ufffe"])
def test_control_characters_are_refused_naming_the_field(client, carrier, bad):
    reply = client.post("/api/fleet/vehicles", json=_vehicle(body_color=f"红{bad}"), headers=headers_for(carrier))
    assert reply.status_code == 400 and "body_color" in _fields(reply)


def test_text_is_stored_in_nfc(client, carrier):
    reply = client.post("/api/fleet/vehicles", json=_vehicle(body_color="Cafe\u0301"), headers=headers_for(carrier))
    assert reply.status_code == 201, reply.json
    assert reply.json["body_color"] == "Caf\u00e9"


def test_a_stored_lone_surrogate_does_not_take_the_hall_down_and_the_repair_fixes_it(client):
    mine = make_mine()
    load = place_retail(client, make_user("buyer"), mine).json
    broken = Waybill.get(load["id"])
    broken.destination = dict(broken.destination, address="坏\ud800地址")
    broken.save()  # as a record written before the edge checked text
    driver, _ = driver_with_truck()

    reply = client.get("/api/hall", query_string={"mine_id": mine, "limit": 100}, headers=headers_for(driver))
    assert reply.status_code == 200
    shown = [item for item in reply.json["items"] if item["id"] == load["id"]]
    assert shown[0]["destination_address"] == "坏\ufffd地址"  # shown, with the bad character replaced

    fixed, _ = repair_table(Waybill)
    assert fixed >= 1
    assert Waybill.get(load["id"]).destination["address"] == "坏\ufffd地址"


def test_empty_and_oversized_ids_are_4xx(client):
    driver, _ = driver_with_truck()
    headers = headers_for(driver)
    empty = client.post("/api/hall/nosuch/grab", json={"vehicle_id": ""}, headers=headers)
    assert empty.status_code == 400 and "vehicle_id" in _fields(empty)
    huge = client.post(f"/api/hall/{'w' * 2048}/grab", json={"vehicle_id": "v"}, headers=headers_for(driver))
    assert huge.status_code == 400 and "waybill_id" in _fields(huge)
    assert client.get(f"/api/waybills/{'w' * 2048}", headers=headers_for(driver)).status_code == 400
    assert (
        400 <= client.post("/api/hall//grab", json={"vehicle_id": "v"}, headers=headers_for(driver)).status_code < 500
    )


def test_cursors_are_signed(client, carrier):
    headers = headers_for(carrier)
    for _ in range(3):
        client.post("/api/fleet/vehicles", json=_vehicle(), headers=headers_for(carrier))
    first = client.get("/api/fleet/vehicles", query_string={"limit": 1}, headers=headers).json
    cursor = first["next_cursor"]
    assert (
        client.get("/api/fleet/vehicles", query_string={"limit": 1, "cursor": cursor}, headers=headers).status_code
        == 200
    )

    payload, tag = cursor.split(".")
    forged = json.dumps({"org_id": {"S": "other"}, "vehicle_id": {"S": "x" * 3000}}).encode()
    import base64

    forged_cursor = base64.urlsafe_b64encode(forged).decode().rstrip("=") + "." + tag
    for bad in (forged_cursor, "junk", "a.b.c", payload, "%%%.%%%"):
        reply = client.get("/api/fleet/vehicles", query_string={"cursor": bad}, headers=headers)
        assert reply.status_code == 400 and "cursor" in _fields(reply), (bad, reply.json)
    # A cursor only continues the list it came from.
    other = client.get("/api/fleet/drivers", query_string={"cursor": cursor}, headers=headers)
    assert other.status_code == 400 and "cursor" in _fields(other)


def test_deep_json_is_refused_before_parsing(client):
    deep = "[" * 100_000 + "]" * 100_000
    reply = client.post("/api/auth/login", data=deep, content_type="application/json")
    assert reply.status_code == 400 and "body" in _fields(reply)


def test_an_oversized_json_body_is_413(client):
    reply = client.post("/api/auth/login", data=json.dumps({"phone": "1" * 400_000}), content_type="application/json")
    assert reply.status_code == 413 and reply.json["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "raw",
    [
        '{"tonnage_kg": 1%s}' % ("0" * 40),  # beyond DynamoDB's 38 digits
        '{"tonnage_kg": NaN}',
        '{"tonnage_kg": Infinity}',
        '{"tonnage_kg": 1e200}',  # beyond DynamoDB's exponent range
        '{"tonnage_kg": 30000.5}',  # an integer field: not silently truncated to 30000
    ],
)
def test_numbers_the_store_cannot_hold_exactly_are_refused(client, raw):
    body = retail_body(make_mine())
    body.pop("tonnage_kg")
    text = json.dumps(body)[:-1] + ", " + raw[1:]
    reply = client.post(
        "/api/orders/retail", data=text, content_type="application/json", headers=headers_for(make_user("buyer"))
    )
    assert reply.status_code == 400 and "tonnage_kg" in _fields(reply), reply.json


def test_an_impossible_date_is_refused(client, app):
    with app.app_context():
        dispatcher = make_user("dispatcher")
    reply = client.get("/api/dispatch/quotas", query_string={"date": "2026-02-30"}, headers=headers_for(dispatcher))
    assert reply.status_code == 400 and "date" in _fields(reply)


@pytest.mark.parametrize("kind", ["connection", "throttle"])
def test_a_store_outage_is_a_503_with_retry_after(client, carrier, kind):
    headers = headers_for(carrier)
    with faults.injected(1.0, kind, operations=("Query",)):
        reply = client.get("/api/fleet/vehicles", headers=headers)
    assert reply.status_code == 503, reply.json
    assert reply.json["error"]["code"] == "unavailable"
    assert int(reply.headers["Retry-After"]) > 0


def test_a_bad_idempotency_key_is_a_400(client, carrier):
    headers = dict(headers_for(carrier), **{"Idempotency-Key": "\x01" * 10})
    reply = client.post("/api/fleet/vehicles", json=_vehicle(), headers=headers)
    assert reply.status_code == 400 and "Idempotency-Key" in _fields(reply)


def test_security_headers_on_the_shell_and_the_api(client):
    for path in ("/", "/api/nowhere"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
        assert "frame-ancestors 'none'" in policy and "connect-src 'self'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be meaningless
    behind_gateway = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert behind_gateway.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_docs_page_runs_no_inline_script(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "<script>" not in page and 'src="/swagger-init.js"' in page
    assert client.get("/swagger-init.js").status_code == 200


def test_405_names_the_allowed_methods(client):
    reply = client.delete("/api/auth/me")
    assert reply.status_code == 405
    assert "GET" in reply.headers["Allow"]
    assert reply.json["error"]["code"] == "method_not_allowed"


def test_openapi_documents_our_error_shape(client):
    spec = client.get("/api/openapi.json").json
    error = spec["components"]["schemas"]["Error"]
    assert error["properties"]["error"] == {"$ref": "#/components/schemas/ErrorDetail"}
    detail = spec["components"]["schemas"]["ErrorDetail"]["properties"]
    assert set(detail) == {"code", "message", "details", "request_id"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert responses["400"] == {"$ref": "#/components/responses/BAD_REQUEST"}, (method, path)
            assert "503" in responses, (method, path)
            for status, response in responses.items():
                if status[0] in "45" or status == "default":
                    ref = response["$ref"].rsplit("/", 1)[-1]
                    schema = spec["components"]["responses"][ref]["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
    login = spec["paths"]["/api/auth/login"]["post"]["responses"]
    assert "429" in login and "401" not in login
    me = spec["paths"]["/api/auth/me"]["get"]["responses"]
    assert {"401", "403"} <= set(me)

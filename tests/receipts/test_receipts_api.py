"""The unloading receipt over HTTP: uploads, fence and shrinkage flags, code or signature, buyer's decision."""

import pytest

from tests.builders import headers_for, make_user
from tests.tracking.conftest import MINE_GATE, SITE, make_waybill, towards

JPEG = b"\xff\xd8\xff\xe0" + b"coal" * 500


@pytest.fixture(autouse=True)
def receipts_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "RECEIPTS_DIR", str(tmp_path))


def upload(client, world, kind="photo", data=JPEG, content_type="image/jpeg"):
    wid = world["waybill"].waybill_id
    grant = client.post(
        f"/api/receipts/{wid}/uploads",
        headers=headers_for(world["driver"]),
        json={"kind": kind, "content_type": content_type, "size_bytes": len(data)},
    )
    assert grant.status_code == 201, grant.json
    put = client.put(grant.json["url"], data=data, headers=grant.json["headers"])
    assert put.status_code == 200, put.json
    return grant.json["key"]


def code_of(client, world):
    return client.get(f"/api/receipts/{world['waybill'].waybill_id}/code", headers=headers_for(world["buyer"])).json[
        "code"
    ]


def take(client, world, *, received_kg, point=SITE, **extra):
    body = {"received_kg": received_kg, "photo_keys": [upload(client, world)], "point": list(point)}
    body.update(extra)
    return client.post(f"/api/receipts/{world['waybill'].waybill_id}", json=body, headers=headers_for(world["driver"]))


def test_receipt_inside_the_fence_with_the_buyers_code_unloads(client):
    world = make_waybill(state="arrived", net_kg=34000)
    reply = take(client, world, received_kg=33980, receipt_code=code_of(client, world))
    assert reply.status_code == 201, reply.json
    assert reply.json["flags"] == [] and reply.json["inside_fence"] and reply.json["loss_kg"] == 20
    waybill = client.get(f"/api/waybills/{world['waybill'].waybill_id}", headers=headers_for(world["buyer"])).json
    assert waybill["state"] == "unloaded" and waybill["received_kg"] == 33980
    photo = client.get(reply.json["photos"][0])
    assert photo.status_code == 200 and photo.data == JPEG


def test_receipt_outside_the_fence_is_flagged(client):
    world = make_waybill(state="in_transit")
    reply = take(
        client,
        world,
        received_kg=34000,
        point=towards(MINE_GATE, SITE, 0.9),
        signature_key=upload(client, world, kind="signature", content_type="image/png"),
    )
    assert reply.status_code == 201 and reply.json["flags"] == ["outside_fence"]


def test_shrinkage_beyond_tolerance_is_flagged(client):
    world = make_waybill(state="arrived", net_kg=34000)
    reply = take(client, world, received_kg=33900, receipt_code=code_of(client, world))  # 0.29 % lost
    assert reply.json["flags"] == ["loss_over_tolerance"] and reply.json["loss_kg"] == 100


def test_wrong_code_and_no_signature_are_named(client):
    world = make_waybill(state="arrived")
    wrong = take(client, world, received_kg=34000, receipt_code="000000" if code_of(client, world) != "000000" else "1")
    assert wrong.status_code == 400 and "receipt_code" in wrong.json["error"]["details"]["fields"]
    neither = take(client, world, received_kg=34000)
    assert neither.status_code == 400 and "signature_key" in neither.json["error"]["details"]["fields"]


def test_upload_refuses_wrong_type_and_oversize(client):
    world = make_waybill(state="arrived")
    url = f"/api/receipts/{world['waybill'].waybill_id}/uploads"
    pdf = client.post(
        url,
        json={"kind": "photo", "content_type": "application/pdf", "size_bytes": 10},
        headers=headers_for(world["driver"]),
    )
    assert pdf.status_code == 400 and "content_type" in pdf.json["error"]["details"]["fields"]
    grant = client.post(
        url,
        json={"kind": "signature", "content_type": "image/png", "size_bytes": 100},
        headers=headers_for(world["driver"]),
    ).json
    too_big = client.put(grant["url"], data=b"x" * (600 * 1024), headers=grant["headers"])
    assert too_big.status_code == 413
    wrong_type = client.put(grant["url"], data=b"x" * 100, headers={"Content-Type": "image/jpeg"})
    assert wrong_type.status_code == 403


def test_upload_link_expires(client, monkeypatch):
    world = make_waybill(state="arrived")
    grant = client.post(
        f"/api/receipts/{world['waybill'].waybill_id}/uploads",
        headers=headers_for(world["driver"]),
        json={"kind": "photo", "content_type": "image/jpeg", "size_bytes": 10},
    ).json
    from backend.receipts import routes

    monkeypatch.setattr(routes, "now_ms", lambda: grant["expires_at"] + 1)
    assert client.put(grant["url"], data=b"x" * 10, headers=grant["headers"]).status_code == 403


def test_buyer_confirms_once(client):
    world = make_waybill(state="arrived")
    take(client, world, received_kg=34000, receipt_code=code_of(client, world))
    url = f"/api/receipts/{world['waybill'].waybill_id}/confirm"
    first = client.post(url, headers=headers_for(world["buyer"]))
    assert first.status_code == 200 and first.json["status"] == "confirmed"
    assert client.post(url, headers=headers_for(world["buyer"])).status_code == 409
    history = client.get(f"/api/waybills/{world['waybill'].waybill_id}/history", headers=headers_for(world["buyer"]))
    assert [e["action"] for e in history.json["items"]] == ["unload", "confirm"]


def test_buyer_disputes_with_a_reason(client):
    world = make_waybill(state="arrived")
    take(client, world, received_kg=33000, receipt_code=code_of(client, world))
    url = f"/api/receipts/{world['waybill'].waybill_id}/dispute"
    assert client.post(url, json={"reason": ""}, headers=headers_for(world["buyer"])).status_code == 400
    reply = client.post(url, json={"reason": "少了一吨"}, headers=headers_for(world["buyer"]))
    assert reply.json["status"] == "disputed" and reply.json["dispute_reason"] == "少了一吨"
    waybill = client.get(f"/api/waybills/{world['waybill'].waybill_id}", headers=headers_for(world["buyer"])).json
    assert waybill["state"] == "disputed"


def test_only_the_waybills_buyer_decides_and_sees_the_code(client):
    world = make_waybill(state="arrived")
    take(client, world, received_kg=34000, receipt_code=code_of(client, world))
    stranger = make_user("buyer")
    assert (
        client.post(f"/api/receipts/{world['waybill'].waybill_id}/confirm", headers=headers_for(stranger)).status_code
        == 404
    )
    assert (
        client.get(f"/api/receipts/{world['waybill'].waybill_id}/code", headers=headers_for(stranger)).status_code
        == 404
    )

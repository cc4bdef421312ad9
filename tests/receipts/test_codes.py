"""Receipt codes cannot be guessed: tries are limited per waybill and per driver, and replies give nothing away."""

from tests.builders import headers_for
from tests.receipts.test_receipts_api import code_of, take, upload
from tests.tracking.conftest import make_waybill


def wrong(code):
    return "000000" if code != "000000" else "111111"


def test_a_right_code_too_early_gets_the_same_reply_as_a_wrong_one(client):
    early = make_waybill(state="released")  # loaded, not yet on the road to the buyer
    right_too_early = take(client, early, received_kg=34000, receipt_code=code_of(client, early))
    wrong_code = take(client, early, received_kg=34000, receipt_code=wrong(code_of(client, early)))
    assert right_too_early.status_code == wrong_code.status_code == 400
    bodies = [reply.json["error"] for reply in (right_too_early, wrong_code)]
    for body in bodies:
        body.pop("request_id")  # differs per request, says nothing about the code
    assert bodies[0] == bodies[1] and "receipt_code" in bodies[0]["details"]["fields"]


def test_after_the_waybills_tries_even_the_right_code_is_refused_but_a_signature_works(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RECEIPT_CODE_ATTEMPTS", 3)
    world = make_waybill(state="arrived")
    code = code_of(client, world)
    for _ in range(3):
        assert take(client, world, received_kg=34000, receipt_code=wrong(code)).status_code == 400
    refused = take(client, world, received_kg=34000, receipt_code=code)
    assert refused.status_code == 429 and refused.json["error"]["code"] == "too_many_code_tries"
    signed = take(
        client,
        world,
        received_kg=34000,
        signature_key=upload(client, world, kind="signature", content_type="image/png"),
    )
    assert signed.status_code == 201 and signed.json["signed_by"] == "signature"


def test_a_driver_cannot_spread_guesses_over_many_waybills(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RECEIPT_CODE_ATTEMPTS_PER_DRIVER", 2)
    first = make_waybill(state="arrived")
    second = make_waybill(state="arrived", driver_id=first["driver"].user_id)
    second["driver"] = first["driver"]
    assert take(client, first, received_kg=34000, receipt_code=wrong(code_of(client, first))).status_code == 400
    assert take(client, second, received_kg=34000, receipt_code=wrong(code_of(client, second))).status_code == 400
    third = take(client, second, received_kg=34000, receipt_code=code_of(client, second))
    assert third.status_code == 429
    other_driver = make_waybill(state="arrived")
    assert take(client, other_driver, received_kg=34000, receipt_code=code_of(client, other_driver)).status_code == 201


def test_a_code_that_is_not_ascii_is_a_400_not_a_crash(client):
    world = make_waybill(state="arrived")
    reply = take(client, world, received_kg=34000, receipt_code="１２３４５６")
    assert reply.status_code == 400, reply.json
    assert (
        client.get(f"/api/waybills/{world['waybill'].waybill_id}", headers=headers_for(world["buyer"])).json["state"]
        == "arrived"
    )

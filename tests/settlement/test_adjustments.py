"""Adjustments (奖罚): the sales side adds a bonus or a deduction before settlement; each is its own line."""

from backend.common.clock import now_ms
from backend.ledger import service as ledger
from backend.settlement import service as settlement
from tests.builders import headers_for, make_user
from tests.settlement.test_posting import retail_world, settle, state_of
from tests.tracking.conftest import make_waybill


def bulk_world():
    world = make_waybill(
        state="confirmed", net_kg=33_000, received_kg=33_000, price_fen_per_t=80_000, freight_fen_per_t=10_000
    )
    ledger.set_credit_limit(world["shipper_org"].org_id, 10_000_000, mine_id=world["waybill"].mine_id)
    return world


def adjust(client, world, body, user=None, key=None):
    url = f"/api/settlement/waybills/{world['waybill'].waybill_id}/adjustments"
    return client.post(url, json=body, headers=headers_for(user or make_user("dispatcher"), idempotency_key=key))


def test_each_adjustment_is_its_own_line_and_moves_with_the_settlement(client):
    world = bulk_world()
    wid = world["waybill"].waybill_id
    before = client.get(f"/api/settlement/waybills/{wid}", headers=headers_for(world["driver"])).json
    bonus = adjust(client, world, {"reason": "夜间装车补贴", "fen": 5_000})
    assert bonus.status_code == 200, bonus.json
    fine = adjust(client, world, {"reason": "late to the plant", "fen": -2_000}, make_user("admin"))
    assert fine.status_code == 200, fine.json

    seen = client.get(f"/api/settlement/waybills/{wid}", headers=headers_for(world["driver"])).json
    assert [(a["reason"], a["fen"], a["applied_fen"]) for a in seen["adjustments"]] == [
        ("夜间装车补贴", 5_000, 5_000),
        ("late to the plant", -2_000, -2_000),
    ]
    lines = [
        (line["note"], line["from"], line["to"], line["fen"]) for line in seen["lines"] if line["part"] == "adjustment"
    ]
    assert lines == [("夜间装车补贴", "payer", "payee", 5_000), ("late to the plant", "payee", "payer_refund", 2_000)]
    assert seen["figures"]["adjustments_fen"] == 3_000
    assert seen["figures"]["payee_total_fen"] == before["figures"]["payee_total_fen"] + 3_000
    assert seen["adjustable"] is True

    assert settle(client, world).status_code == 200
    carrier = ledger.account("carrier", world["carrier_org"].org_id)
    assert ledger.balance(carrier) == seen["figures"]["payee_total_fen"]
    memo = ledger.entry(f"settle-{wid}-settle").memo
    assert "adjustment 5000" in memo and "adjustment 2000" in memo

    late = adjust(client, world, {"reason": "forgot one", "fen": -100})
    assert late.status_code == 409 and late.json["error"]["code"] == "adjustments_closed"
    settled = client.get(f"/api/settlement/waybills/{wid}", headers=headers_for(world["driver"])).json
    assert settled["adjustable"] is False and len(settled["adjustments"]) == 2


def test_a_deduction_never_takes_more_than_the_load_earned(client):
    world = bulk_world()
    wid = world["waybill"].waybill_id
    assert adjust(client, world, {"reason": "damaged tarpaulin", "fen": -9_000_000}).status_code == 200
    seen = client.get(f"/api/settlement/waybills/{wid}", headers=headers_for(world["driver"])).json
    assert seen["figures"]["payee_total_fen"] == 0
    assert seen["adjustments"][0]["applied_fen"] == -(
        seen["figures"]["prepaid_fen"] + seen["figures"]["receipt_payout_fen"]
    )
    assert settle(client, world).status_code == 200
    assert ledger.balance(ledger.account("carrier", world["carrier_org"].org_id)) == 0


def test_a_replayed_request_adds_one_adjustment(client):
    world, dispatcher = bulk_world(), make_user("dispatcher")
    key = "adj-replay-" + world["waybill"].waybill_id
    first = adjust(client, world, {"reason": "bonus", "fen": 1_000}, dispatcher, key=key)
    again = adjust(client, world, {"reason": "bonus", "fen": 1_000}, dispatcher, key=key)
    assert first.status_code == again.status_code == 200
    seen = client.get(f"/api/settlement/waybills/{world['waybill'].waybill_id}", headers=headers_for(dispatcher))
    assert len(seen.json["adjustments"]) == 1


def test_who_may_adjust_and_what_is_refused(client):
    world = bulk_world()
    for user in (world["driver"], world["buyer"], make_user("carrier", org_id=world["carrier_org"].org_id)):
        assert adjust(client, world, {"reason": "x", "fen": 100}, user).status_code == 403
    for body, field in (
        ({"reason": "x", "fen": 0}, "fen"),
        ({"reason": "x", "fen": 1.5}, "fen"),
        ({"reason": "x", "fen": "100"}, "fen"),
        ({"reason": "x", "fen": 10_000_001}, "fen"),
        ({"reason": "   ", "fen": 100}, "reason"),
        ({"fen": 100}, "reason"),
    ):
        reply = adjust(client, world, body)
        assert reply.status_code == 400 and field in reply.json["error"]["details"]["fields"], (body, reply.json)
    retail = retail_world()
    bonus = adjust(client, retail, {"reason": "tip", "fen": 100})
    assert bonus.status_code == 400 and "fen" in bonus.json["error"]["details"]["fields"]
    assert adjust(client, retail, {"reason": "late", "fen": -100}).status_code == 200
    unknown = client.post(
        "/api/settlement/waybills/nosuch/adjustments",
        json={"reason": "x", "fen": 100},
        headers=headers_for(make_user("dispatcher")),
    )
    assert unknown.status_code == 404
    assert state_of(client, world) == "confirmed"


def test_an_adjustment_added_while_settling_is_settled_with_it(app, monkeypatch):
    """The settlement closes what it read: one added between its read and its commit makes it build again."""
    world = bulk_world()
    wid = world["waybill"].waybill_id
    read = settlement.terms_and_adjustments
    calls = []

    def racing(waybill):
        found = read(waybill)
        calls.append(found)
        if len(calls) == 1:  # after the settlement's first read, someone adds an adjustment
            monkeypatch.setattr(settlement, "terms_and_adjustments", read)
            settlement.add_adjustment(
                principal=make_user("dispatcher"), waybill_id=wid, reason="race", fen=700, now_ms=now_ms()
            )
            monkeypatch.setattr(settlement, "terms_and_adjustments", racing)
        return found

    monkeypatch.setattr(settlement, "terms_and_adjustments", racing)
    settlement.settle(waybill_id=wid, now_ms=now_ms())
    assert len(calls) == 2 and calls[0][2] is None and len(calls[1][2].adjustments) == 1
    out = settlement.compute(world["waybill"], [], ledger.entries([f"settle-{wid}-settle"]))[3]
    assert out.adjustments_fen == 700
    assert ledger.balance(ledger.account("carrier", world["carrier_org"].org_id)) == out.payee_total_fen

"""Settlement posted to the ledger: confirmed → settled moves every part once, with the waybill's move."""

from backend.common.clock import now_ms
from backend.ledger import service as ledger
from tests.builders import headers_for, make_user, random_ref
from tests.tracking.conftest import make_waybill


def settle(client, world, user=None):
    url = f"/api/settlement/waybills/{world['waybill'].waybill_id}/settle"
    return client.post(url, headers=headers_for(user or make_user("dispatcher")))


def state_of(client, world):
    url = f"/api/waybills/{world['waybill'].waybill_id}"
    return client.get(url, headers=headers_for(world["buyer"])).json["state"]


def retail_world(*, net_kg=33_000, received_kg=32_900, state="confirmed", mine_id="mine_hll"):
    quote = {"road_distance_m": 80_000, "coal_fen": 2_720_000, "freight_fen": 340_000, "total_fen": 3_060_000}
    world = make_waybill(
        state=state,
        net_kg=net_kg,
        received_kg=received_kg,
        price_fen_per_t=80_000,
        freight_fen_per_t=10_000,
        kind="retail",
        quote=quote,
        mine_id=mine_id,
    )
    wid = world["waybill"].waybill_id
    ledger.post(
        entry_id=f"test-pay-{wid}",
        legs=[
            (ledger.account("provider", "sandbox"), -quote["total_fen"]),
            (ledger.account("escrow", wid), quote["total_fen"]),
        ],
        memo="paid",
        now_ms=now_ms(),
        waybill_id=wid,
    )
    return world


def test_settling_a_paid_retail_load_empties_its_escrow_once(client):
    world = retail_world()
    wid = world["waybill"].waybill_id
    reply = settle(client, world)
    assert reply.status_code == 200, reply.json
    figures = reply.json["figures"]
    carrier = ledger.account("carrier", world["carrier_org"].org_id)
    buyer = ledger.account("buyer_wallet", world["buyer"].user_id)
    assert ledger.balance(ledger.account("escrow", wid)) == 0
    assert ledger.balance(carrier) == figures["payee_total_fen"] > 0
    assert ledger.balance(ledger.account("sales", "mine_hll")) >= figures["coal_fen"] == 2_640_000
    # One tonne short of the order: its coal and freight go back, with the 抹零 fen.
    assert ledger.balance(buyer) == 80_000 + 10_000 + figures["rounding_fen"] + figures["loss_deduction_fen"]
    assert state_of(client, world) == "settled" and reply.json["status"] == "settled"
    entries = [entry.entry_id for entry in ledger.entries_for_waybill(wid)]
    assert entries.count(f"settle-{wid}-settle") == 1

    again = settle(client, world)  # a replayed settlement (new key) moves nothing
    assert again.status_code == 409
    assert ledger.balance(carrier) == figures["payee_total_fen"]
    assert ledger.balance(ledger.account("escrow", wid)) == 0


def test_a_part_posted_before_is_not_posted_again(client):
    world = retail_world()
    wid = world["waybill"].waybill_id
    from backend.settlement import service

    waybill = world["waybill"]
    out = service.compute(waybill, [])[3]
    assert service.release(waybill_id=wid, trigger="weigh_out", now_ms=now_ms())  # as the weigh-out does
    assert not service.release(waybill_id=wid, trigger="weigh_out", now_ms=now_ms())  # a retried event
    carrier = ledger.account("carrier", world["carrier_org"].org_id)
    assert ledger.balance(carrier) == out.prepaid_fen
    assert settle(client, world).status_code == 200
    assert ledger.balance(carrier) == out.payee_total_fen
    assert ledger.balance(ledger.account("escrow", wid)) == 0


def test_a_disputed_or_unconfirmed_waybill_waits(client):
    for state in ("disputed", "unloaded", "in_transit"):
        world = retail_world(state=state)
        assert settle(client, world).status_code == 409
        assert ledger.balance(ledger.account("escrow", world["waybill"].waybill_id)) == 3_060_000
        assert state_of(client, world) == state


def test_a_bulk_load_is_paid_from_the_shippers_prepaid_balance_or_not_at_all(client):
    world = make_waybill(
        state="confirmed", net_kg=30_000, received_kg=30_000, price_fen_per_t=80_000, freight_fen_per_t=10_000
    )
    shipper = ledger.prepaid_account(world["shipper_org"].org_id, world["waybill"].mine_id)
    refused = settle(client, world)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "insufficient_funds"
    assert state_of(client, world) == "confirmed" and ledger.balance(shipper) == 0

    ledger.set_credit_limit(world["shipper_org"].org_id, 5_000_000, mine_id=world["waybill"].mine_id)
    reply = settle(client, world)
    assert reply.status_code == 200, reply.json
    figures = reply.json["figures"]
    assert ledger.balance(shipper) == -(figures["coal_fen"] + figures["freight_fen"]) + figures["rounding_fen"]
    assert state_of(client, world) == "settled"


def test_only_the_platform_settles(client):
    world = retail_world()
    for user in (world["driver"], world["buyer"], make_user("carrier", org_id=world["carrier_org"].org_id)):
        assert settle(client, world, user).status_code == 403


def test_the_buyers_confirmation_pays_the_receipt_part_once_and_settling_pays_the_rest(
    client, app, tmp_path, monkeypatch
):
    from tests.receipts.test_receipts_api import code_of, take

    monkeypatch.setitem(app.config, "RECEIPTS_DIR", str(tmp_path))
    world = retail_world(state="arrived", received_kg=None)
    wid = world["waybill"].waybill_id
    assert take(client, world, received_kg=32_900, receipt_code=code_of(client, world)).status_code == 201
    url = f"/api/receipts/{wid}/confirm"
    headers = headers_for(world["buyer"])
    assert client.post(url, headers=headers).status_code == 200
    carrier = ledger.account("carrier", world["carrier_org"].org_id)
    figures = client.get(f"/api/settlement/waybills/{wid}", headers=headers).json["figures"]
    # Prepaid (its weigh-out was never announced here) and 回单付 arrive with the confirmation.
    assert ledger.balance(carrier) == figures["prepaid_fen"] + figures["receipt_payout_fen"] > 0
    assert client.post(url, headers=headers).status_code == 200  # the same request replayed: its stored reply
    assert client.post(url, headers=headers_for(world["buyer"])).status_code == 409  # a second confirmation
    assert ledger.balance(carrier) == figures["prepaid_fen"] + figures["receipt_payout_fen"]
    assert [e.entry_id for e in ledger.entries_for_waybill(wid)].count(f"settle-{wid}-receipt") == 1

    assert settle(client, world).status_code == 200
    assert ledger.balance(carrier) == figures["payee_total_fen"]
    assert ledger.balance(ledger.account("escrow", wid)) == 0
    assert ledger.balance(ledger.account("sales", "mine_hll")) >= figures["coal_fen"]


def test_a_contract_changed_between_weigh_out_and_settlement_pays_exactly_the_freight(client):
    mine = random_ref("mine")  # a mine of its own: its terms change nobody else's
    world = retail_world(mine_id=mine)
    wid = world["waybill"].waybill_id
    from backend.settlement import service

    assert service.release(waybill_id=wid, trigger="weigh_out", now_ms=now_ms())
    terms = {
        "allowance_kind": "permille",
        "allowance_value": 2,
        "prepaid_permille": 900,
        "prepaid_form": "cash",
        "fee_permille": 30,
        "rounding_fen": 1000,
        "detention_free_minutes": 120,
        "detention_fen_per_hour": 5000,
    }
    saved = client.put(f"/api/settlement/terms/{mine}", json=terms, headers=headers_for(make_user("admin")))
    assert saved.status_code == 200
    reply = settle(client, world)
    assert reply.status_code == 200, reply.json
    figures = reply.json["figures"]
    assert reply.json["terms"]["prepaid_permille"] == 900 and figures["prepaid_fen"] < 330_000 * 900 // 1000
    carrier = ledger.account("carrier", world["carrier_org"].org_id)
    assert ledger.balance(carrier) == figures["payee_total_fen"]
    assert ledger.balance(ledger.account("escrow", wid)) == 0


def test_a_load_with_nobody_to_pay_for_it_is_refused_not_crashed(client):
    world = make_waybill(
        state="confirmed", shipper_id=None, received_kg=34_000, price_fen_per_t=80_000, freight_fen_per_t=10_000
    )
    reply = settle(client, world)
    assert reply.status_code == 409 and reply.json["error"]["code"] == "settlement_no_payer"
    assert state_of(client, world) == "confirmed"


def test_releasing_a_part_costs_the_same_calls_whatever_the_waybills_history(client):
    from backend.settlement import service
    from backend.waybills import store as waybill_store
    from tests.callcount import count_calls

    def release_calls(world):
        waybill = waybill_store.get(world["waybill"].waybill_id)
        with count_calls() as calls:
            assert service.release(waybill_id=waybill.waybill_id, trigger="weigh_out", now_ms=now_ms(), waybill=waybill)
        return calls

    fresh = release_calls(retail_world())
    busy = retail_world()
    for n in range(30):  # a waybill with many other entries in the ledger
        ledger.post(
            entry_id=f"test-noise-{busy['waybill'].waybill_id}-{n}",
            legs=[(ledger.account("provider", "sandbox"), -1), (ledger.account("platform_fee"), 1)],
            memo="noise",
            now_ms=now_ms(),
            waybill_id=busy["waybill"].waybill_id,
        )
    # The terms and the waybill's own entries, one batch read each, then the posting's transaction.
    assert fresh == release_calls(busy) == ["BatchGetItem", "BatchGetItem", "TransactWriteItems"]

"""After an overload the gate sends the truck back to unload the surplus and weigh again: every ticket is kept,
the last one counts, inventory and the order's reservation follow the final net, the weighing alert closes."""

from types import SimpleNamespace

import pytest

from backend.alerts import store as alerts_store
from backend.catalogue import store as catalogue_store
from backend.gate.weighing import surplus_kg
from backend.waybills import store as waybills_store
from backend.waybills.models import Waybill
from tests.builders import headers_for, make_org, make_user
from tests.gate.helpers import Truck, state_of


@pytest.fixture
def overloaded(gate, client):
    """A retail truck (33 t ordered, 34 t rated, 6 axles) weighed 49.5 t gross on a 15 t tare: held."""
    truck = Truck(tare_kg=15000, rated_load_kg=34000, axles=6)
    truck.fix(east_m=100)
    waybill = truck.waybill(shipper=make_org("shipper"), buyer=make_user("buyer"), tonnage_kg=33000)
    waybills_store.get(waybill.waybill_id).update(actions=[Waybill.kind.set("retail")])
    catalogue_store.reserve_op("mine_hll", "raw", 33000)(_Alone())  # the retail order's reservation
    gate.scan(client, waybill)
    gate.read(client, truck.plate)
    gate.weigh(client, waybill, 15000)
    before = catalogue_store.get_product("mine_hll", "raw")
    ticket = gate.weigh(client, waybill, 49500).json["ticket"]
    assert state_of(waybill) == "held"
    return truck, waybill, ticket, before


def reweigh(client, user, waybill, reason="超载，回装车区卸掉多余的煤"):
    return client.post(
        f"/api/gate/waybills/{waybill.waybill_id}/reweigh", json={"reason": reason}, headers=headers_for(user)
    )


def test_overload_then_unload_then_reweigh_then_release(gate, client, overloaded):
    truck, waybill, first, before = overloaded
    staff = make_user("gate", mine_id="mine_hll")

    sent = reweigh(client, staff, waybill)
    assert sent.status_code == 200, sent.json
    assert sent.json["surplus_kg"] == 500  # net 34.5 t: 0.5 t over the rated load, the order (33+1 t), the legal gross
    assert sent.json["waybill"]["state"] == "tare_weighed" and sent.json["waybill"]["gross_kg"] is None
    assert not alerts_store.open_for_waybill(waybill.waybill_id)  # the weighing alert closed with the reason

    final = gate.weigh(client, waybill, 48000).json["ticket"]  # 33 t net after unloading
    assert final["held"] is False and final["net_kg"] == 33000
    stored = waybills_store.get(waybill.waybill_id)
    assert (stored.state, stored.net_kg, stored.tare_kg) == ("gross_weighed", 33000, 15000)

    tickets = client.get(f"/api/gate/tickets?waybill_id={waybill.waybill_id}", headers=headers_for(truck.driver)).json[
        "items"
    ]
    assert [(t["kind"], t["kg"]) for t in tickets] == [("tare", 15000), ("gross", 49500), ("gross", 48000)]
    assert tickets[1]["superseded_at"] and tickets[1]["surplus_kg"] == 500 and not tickets[2]["superseded_at"]

    after = catalogue_store.get_product("mine_hll", "raw")  # the coal follows the final net, not 34.5 t
    assert first["net_kg"] == 34500
    assert after.inventory_kg == before.inventory_kg - 33000
    assert after.reserved_kg == before.reserved_kg - 33000  # the order's reservation ended once
    assert after.available_kg == after.inventory_kg - after.reserved_kg

    assert gate.read(client, truck.plate, direction="out").json["identification"]["outcome"] == "released"


def test_a_truck_can_be_sent_back_only_after_its_gross(gate, client, overloaded):
    truck, waybill, _, _ = overloaded
    staff = make_user("gate", mine_id="mine_hll")
    assert reweigh(client, staff, waybill).status_code == 200
    again = reweigh(client, staff, waybill)  # now tare_weighed: nothing to send back
    assert again.status_code == 409 and again.json["error"]["code"] == "reweigh_not_allowed"


def test_only_the_mines_gate_staff_or_dispatch_send_a_truck_back(gate, client, overloaded):
    _, waybill, _, _ = overloaded
    assert reweigh(client, make_user("gate", mine_id="mine_other"), waybill).status_code == 404
    assert reweigh(client, make_user("driver"), waybill).status_code == 403
    blank = reweigh(client, make_user("dispatcher"), waybill, reason="")
    assert blank.status_code == 400 and "reason" in blank.json["error"]["details"]["fields"]
    assert state_of(waybill) == "held"


def test_another_open_alert_holding_the_truck_is_not_answered_by_a_reweigh(gate, client, overloaded):
    from backend.alerts import service as alerts_service
    from backend.common.clock import now_ms
    from backend.waybills.service import SystemActor

    _, waybill, _, _ = overloaded
    alerts_service.raise_alert(
        kind="fake_plate", mine_id="mine_hll", reason="套牌嫌疑", actor=SystemActor("t"), now_ms=now_ms(),
        waybill_id=waybill.waybill_id,
    )  # fmt: skip
    refused = reweigh(client, make_user("gate", mine_id="mine_hll"), waybill)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "other_alert_open"
    assert state_of(waybill) == "held"


@pytest.mark.parametrize(
    "gross, net, limits, surplus",
    [
        (49500, 34500, {"legal_gross_kg": 49000, "ordered_max_kg": 34000, "rated_load_kg": 34000}, 500),
        (48200, 34200, {"legal_gross_kg": 49000, "ordered_max_kg": 34000, "rated_load_kg": 40000}, 200),
        (47000, 32000, {"legal_gross_kg": 49000, "ordered_max_kg": 34000, "rated_load_kg": None}, 0),
    ],
)
def test_the_surplus_is_what_brings_every_limit_back(gross, net, limits, surplus):
    assert surplus_kg(SimpleNamespace(gross_kg=gross, net_kg=net, limits=limits)) == surplus


class _Alone:
    """Runs a transaction step on its own (reserve_op is written for a TransactWrite)."""

    def update(self, model, actions, condition):
        model.update(actions=actions, condition=condition)


def test_the_prepaid_freight_follows_the_final_gross_not_the_held_one(gate, client):
    from backend.ledger import service as ledger

    truck = Truck(tare_kg=15000, rated_load_kg=34000, axles=6)
    truck.fix(east_m=100)
    shipper = make_org("shipper")
    waybill = truck.waybill(shipper=shipper, buyer=make_user("buyer"), tonnage_kg=33000)
    waybill.update(actions=[Waybill.price_fen_per_t.set(80_000), Waybill.freight_fen_per_t.set(10_000)])
    ledger.set_credit_limit(shipper.org_id, 1_000_000, mine_id=waybill.mine_id)
    gate.scan(client, waybill)
    gate.read(client, truck.plate)
    gate.weigh(client, waybill, 15000)
    carrier = ledger.account("carrier", truck.carrier.org_id)
    gate.weigh(client, waybill, 49500)  # 34.5 t net: held
    assert ledger.balance(carrier) == 0  # a held gross is not the load that leaves
    assert reweigh(client, make_user("gate", mine_id="mine_hll"), waybill).status_code == 200
    gate.weigh(client, waybill, 48000)  # 33 t
    assert ledger.balance(carrier) == 99_000  # 33 t × 100 ¥ × 30 %, not 34.5 t


def test_clearing_a_held_gross_releases_the_prepaid_part_then(gate, client):
    from backend.alerts import service as alerts_service
    from backend.common.clock import now_ms
    from backend.ledger import service as ledger

    truck = Truck(tare_kg=14500, rated_load_kg=40000, axles=6)
    truck.fix(east_m=100)
    shipper = make_org("shipper")
    waybill = truck.waybill(shipper=shipper, buyer=make_user("buyer"), tonnage_kg=33000)
    waybill.update(actions=[Waybill.price_fen_per_t.set(80_000), Waybill.freight_fen_per_t.set(10_000)])
    ledger.set_credit_limit(shipper.org_id, 1_000_000, mine_id=waybill.mine_id)
    gate.scan(client, waybill)
    gate.read(client, truck.plate)
    gate.weigh(client, waybill, 14500)
    gate.weigh(client, waybill, 48700)  # 34.2 t net: over the order (33 + 1 t) only, held
    carrier = ledger.account("carrier", truck.carrier.org_id)
    assert ledger.balance(carrier) == 0
    (alert,) = alerts_store.open_for_waybill(waybill.waybill_id)
    alerts_service.resolve(
        principal=make_user("gate", mine_id="mine_hll"), alert_id=alert.alert_id, outcome="cleared",
        reason="买方同意多装", now_ms=now_ms(),
    )  # fmt: skip
    assert state_of(waybill) == "gross_weighed"
    assert ledger.balance(carrier) == 102_600  # 34.2 t × 100 ¥ × 30 %, once the hold is cleared

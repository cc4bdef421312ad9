"""The unattended weighbridge: stability, order, tare drift, the overload table, tickets for the parties."""

import pytest

from backend.alerts import store as alerts_store
from backend.gate.settings import legal_gross_kg
from backend.waybills import store as waybills_store
from tests.builders import headers_for, make_org, make_user
from tests.gate.helpers import Truck, state_of


@pytest.fixture
def entered(gate, client):
    """A truck identified at the gate and entered (15 t registered tare, 6 axles, 34 t rated)."""
    truck = Truck(tare_kg=15000, rated_load_kg=34000, axles=6)
    truck.fix(east_m=100)
    truck.shipper = make_org("shipper")
    truck.buyer = make_user("buyer")
    waybill = truck.waybill(shipper=truck.shipper, buyer=truck.buyer, tonnage_kg=33000)
    gate.scan(client, waybill)
    gate.read(client, truck.plate)
    assert state_of(waybill) == "entered"
    return truck, waybill


def test_an_unstable_reading_does_not_count(gate, client, entered):
    _, waybill = entered
    reply = gate.weigh(client, waybill, 15100, stable=False)
    assert reply.status_code == 200 and reply.json["counted"] is False
    assert state_of(waybill) == "entered"


def test_tare_then_gross_gives_net_and_two_tickets(gate, client, entered):
    truck, waybill = entered
    tare = gate.weigh(client, waybill, 15200)
    assert tare.json["ticket"]["kind"] == "tare" and state_of(waybill) == "tare_weighed"
    gross = gate.weigh(client, waybill, 48100).json["ticket"]
    assert (gross["kind"], gross["tare_kg"], gross["net_kg"], gross["held"]) == ("gross", 15200, 32900, False)
    stored = waybills_store.get(waybill.waybill_id)
    assert (stored.state, stored.tare_kg, stored.gross_kg, stored.net_kg) == ("gross_weighed", 15200, 48100, 32900)


def test_tickets_are_visible_to_driver_shipper_and_buyer_but_not_others(gate, client, entered):
    truck, waybill = entered
    gate.weigh(client, waybill, 15200)
    shipper_user = make_user("shipper", org_id=truck.shipper.org_id)
    for user in (truck.driver, shipper_user, truck.buyer):
        reply = client.get(f"/api/gate/tickets?waybill_id={waybill.waybill_id}", headers=headers_for(user))
        assert [t["kg"] for t in reply.json["items"]] == [15200], user.role
    stranger = make_user("driver", org_id=truck.carrier.org_id)
    assert (
        client.get(f"/api/gate/tickets?waybill_id={waybill.waybill_id}", headers=headers_for(stranger)).status_code
        == 404
    )


def test_gross_cannot_come_before_tare(gate, client):
    truck = Truck()
    waybill = truck.waybill(state="called")
    reply = gate.weigh(client, waybill, 48000)
    assert reply.status_code == 409 and reply.json["error"]["code"] == "weigh_out_of_order"


def test_a_repeated_empty_weighing_is_not_taken_as_gross(gate, client, entered):
    _, waybill = entered
    gate.weigh(client, waybill, 15200)
    reply = gate.weigh(client, waybill, 15300)
    assert reply.status_code == 409 and reply.json["error"]["code"] == "weigh_not_loaded"
    assert state_of(waybill) == "tare_weighed"


def test_tare_drift_against_the_registry_holds_with_an_alert(gate, client, entered):
    _, waybill = entered
    ticket = gate.weigh(client, waybill, 17000).json["ticket"]
    assert ticket["held"] and [p["code"] for p in ticket["problems"]] == ["tare_drift_registry"]
    held = waybills_store.get(waybill.waybill_id)
    assert held.state == "held" and held.held_from == "tare_weighed" and "17000" in held.hold_reason
    assert "weighing" in [a.kind for a in alerts_store.open_for_waybill(waybill.waybill_id)]


def test_tare_within_tolerance_passes(gate, client, entered):
    _, waybill = entered
    assert gate.weigh(client, waybill, 16400).json["ticket"]["held"] is False


def test_overload_against_the_legal_gross_holds(gate, client, entered):
    _, waybill = entered
    gate.weigh(client, waybill, 15000)
    ticket = gate.weigh(client, waybill, 49500).json["ticket"]
    assert "over_legal_gross" in [p["code"] for p in ticket["problems"]]
    assert ticket["limits"]["legal_gross_kg"] == 49000
    assert state_of(waybill) == "held"


def test_net_over_the_ordered_tonnage_holds(gate, client, entered):
    _, waybill = entered  # ordered 33 t + 1 t tolerance
    gate.weigh(client, waybill, 14000)
    ticket = gate.weigh(client, waybill, 48200).json["ticket"]  # net 34.2 t
    assert [p["code"] for p in ticket["problems"]] == ["over_rated_load", "over_ordered"]


@pytest.mark.parametrize("axles, limit", [(2, 18000), (3, 25000), (4, 31000), (5, 43000), (6, 49000), (7, 49000)])
def test_the_legal_gross_table_follows_gb1589(axles, limit):
    assert legal_gross_kg(axles) == limit


@pytest.mark.parametrize(
    "axles, gross, over", [(4, 31000, False), (4, 31001, True), (5, 43500, True), (5, 42900, False)]
)
def test_a_reading_with_fewer_axles_meets_a_lower_limit(gate, client, axles, gross, over):
    truck = Truck(tare_kg=13000, rated_load_kg=40000, axles=axles)
    truck.fix(east_m=30)
    waybill = truck.waybill(tonnage_kg=40000)
    gate.scan(client, waybill)
    gate.read(client, truck.plate)
    gate.weigh(client, waybill, 13000, axles=axles)
    ticket = gate.weigh(client, waybill, gross, axles=axles).json["ticket"]
    assert ("over_legal_gross" in [p["code"] for p in ticket["problems"]]) is over


def test_an_exit_read_releases_the_weighed_truck(gate, client, entered):
    truck, waybill = entered
    gate.weigh(client, waybill, 15000)
    gate.weigh(client, waybill, 47000)
    reply = gate.read(client, truck.plate, direction="out")
    assert reply.json["identification"]["outcome"] == "released"
    assert state_of(waybill) == "released"


def test_the_loaded_weighing_takes_the_coal_out_of_live_inventory(gate, client, entered):
    from backend.catalogue import store as catalogue_store

    _, waybill = entered
    from backend.waybills.models import Waybill

    waybills_store.get(waybill.waybill_id).update(actions=[Waybill.kind.set("retail")])
    catalogue_store.reserve_op("mine_hll", "raw", waybill.tonnage_kg)(_Now())  # the retail order's reservation
    before = catalogue_store.get_product("mine_hll", "raw")
    gate.weigh(client, waybill, 15200)
    gate.weigh(client, waybill, 48100)
    after = catalogue_store.get_product("mine_hll", "raw")
    assert after.inventory_kg == before.inventory_kg - 32900
    assert after.reserved_kg == before.reserved_kg - waybill.tonnage_kg
    assert after.available_kg == after.inventory_kg - after.reserved_kg


class _Now:
    """Runs a transaction step on its own (reserve_op is written for a TransactWrite)."""

    def update(self, model, actions, condition):
        model.update(actions=actions, condition=condition)

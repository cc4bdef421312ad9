"""The prepaid freight part moves when the loaded truck is weighed at the gate, once."""

from backend.ledger import service as ledger
from backend.waybills.models import Waybill
from tests.builders import make_org, make_user
from tests.gate.conftest import ctx, gate  # noqa: F401  (the gate's devices on a lane of this test's own)
from tests.gate.helpers import Truck, state_of


def test_the_loaded_weighing_releases_the_prepaid_part_and_a_repeat_moves_nothing(gate, client):  # noqa: F811
    truck = Truck(tare_kg=15000, rated_load_kg=34000, axles=6)
    truck.fix(east_m=100)
    shipper = make_org("shipper")
    waybill = truck.waybill(shipper=shipper, buyer=make_user("buyer"), tonnage_kg=33000)
    waybill.update(actions=[Waybill.price_fen_per_t.set(80_000), Waybill.freight_fen_per_t.set(10_000)])
    ledger.set_credit_limit(shipper.org_id, 1_000_000, mine_id=waybill.mine_id)
    gate.scan(client, waybill)
    gate.read(client, truck.plate)
    gate.weigh(client, waybill, 15200)
    carrier = ledger.account("carrier", truck.carrier.org_id)
    assert ledger.balance(carrier) == 0  # the tare moves no money
    assert gate.weigh(client, waybill, 48100).status_code == 200
    assert state_of(waybill) == "gross_weighed"
    # 32.9 t × 100 ¥ = 3,290 ¥; 30 % prepaid, rounded down to the yuan.
    assert ledger.balance(carrier) == 98_700
    assert ledger.balance(ledger.prepaid_account(shipper.org_id, waybill.mine_id)) == -98_700
    assert gate.weigh(client, waybill, 48100).status_code == 409  # a repeated reading: no second release
    assert ledger.balance(carrier) == 98_700


def test_a_shipper_without_money_does_not_stop_the_truck(gate, client):  # noqa: F811
    truck = Truck(tare_kg=15000, rated_load_kg=34000, axles=6)
    truck.fix(east_m=100)
    waybill = truck.waybill(shipper=make_org("shipper"), buyer=make_user("buyer"), tonnage_kg=33000)
    waybill.update(actions=[Waybill.price_fen_per_t.set(80_000), Waybill.freight_fen_per_t.set(10_000)])
    gate.scan(client, waybill)
    gate.read(client, truck.plate)
    gate.weigh(client, waybill, 15200)
    assert gate.weigh(client, waybill, 48100).status_code == 200
    assert state_of(waybill) == "gross_weighed"
    assert ledger.balance(ledger.account("carrier", truck.carrier.org_id)) == 0  # left for the settlement

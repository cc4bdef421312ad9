"""The settlement breakdown over HTTP: the figures a driver, carrier and the mine see, and who may see them."""

from backend.appointments.booking.models import Booking
from backend.common.clock import now_ms
from backend.waybills.models import WaybillEvent
from tests.builders import headers_for, make_org, make_user, random_ref
from tests.tracking.conftest import make_waybill

HOUR = 3_600_000


def breakdown(client, world, user):
    return client.get(f"/api/settlement/waybills/{world['waybill'].waybill_id}", headers=headers_for(user))


def with_wait(world, *, checked_in_offset, waited_ms):
    """A booking for a window starting an hour ago, checked in at its start + offset, entered after `waited_ms`."""
    waybill, start = world["waybill"], now_ms() - 10 * HOUR
    booking = Booking(
        random_ref("bk"),
        waybill_id=waybill.waybill_id,
        driver_id=waybill.driver_id,
        vehicle_id=waybill.vehicle_id,
        mine_id=waybill.mine_id,
        slot_id=random_ref("slot"),
        slot_start_ms=start,
        slot_end_ms=start + 2 * HOUR,
        status="entered",
        checked_in_at=start + checked_in_offset,
        created_at=start,
        updated_at=start,
    )
    booking.save()
    waybill.update(actions=[type(waybill).booking_id.set(booking.booking_id)])
    WaybillEvent(
        waybill.waybill_id,
        version=1,
        action="enter",
        from_state="called",
        to_state="entered",
        actor_id="gate",
        actor_role="gate",
        at=start + checked_in_offset + waited_ms,
    ).save()


def test_driver_sees_freight_with_the_loss_beyond_the_allowance_explained(client):
    world = make_waybill(
        state="confirmed", net_kg=33_500, received_kg=33_380, price_fen_per_t=82_000, freight_fen_per_t=12_000
    )
    reply = breakdown(client, world, world["driver"])
    assert reply.status_code == 200, reply.json
    body = reply.json
    assert body["weights"] == {"net_kg": 33_500, "received_kg": 33_380, "ordered_kg": 34_000, "freight_basis": "net_kg"}
    assert body["prices"] == {"coal_fen_per_t": 82_000, "freight_fen_per_t": 12_000}
    assert body["terms"]["source"] == "default" and body["terms"]["allowance_kind"] == "permille"
    figures = body["figures"]
    assert (figures["loss_kg"], figures["allowance_kg"], figures["excess_loss_kg"]) == (120, 67, 53)
    assert figures["loss_deduction_fen"] == 4_346 and figures["freight_fen"] == 402_000
    assert figures["payee_total_fen"] == figures["prepaid_fen"] + figures["receipt_payout_fen"]
    assert body["status"] == "confirmed" and body["payee"] == "carrier"
    parts = {line["part"]: line for line in body["lines"]}
    assert parts["prepaid_cash"]["trigger"] == "weigh_out" and parts["freight_on_receipt"]["trigger"] == "receipt"
    assert parts["coal"]["to"] == "sales" and parts["coal"]["fen"] == 2_747_000


def test_a_contract_of_the_shipper_at_the_mine_applies_over_the_default(client):
    world = make_waybill(
        state="unloaded", net_kg=30_000, received_kg=29_900, price_fen_per_t=80_000, freight_fen_per_t=10_000
    )
    admin = make_user("admin")
    terms = {
        "shipper_id": world["shipper_org"].org_id,
        "allowance_kind": "kg",
        "allowance_value": 150,
        "prepaid_permille": 0,
        "prepaid_form": "fuel_card",
        "fee_permille": 0,
        "rounding_fen": 1000,
        "detention_free_minutes": 60,
        "detention_fen_per_hour": 6000,
    }
    saved = client.put("/api/settlement/terms/mine_hll", json=terms, headers=headers_for(admin))
    assert saved.status_code == 200, saved.json
    body = breakdown(client, world, world["driver"]).json
    assert body["terms"]["source"] == f"shipper:{world['shipper_org'].org_id}@mine_hll"
    assert body["figures"]["loss_deduction_fen"] == 0  # 100 kg lost, 150 kg per truck allowed
    assert body["figures"]["receipt_payout_fen"] == 300_000


def test_bad_terms_name_the_field(client):
    bad = client.put(
        "/api/settlement/terms/mine_hll",
        json={"allowance_kind": "percent"},
        headers=headers_for(make_user("admin")),
    )
    assert bad.status_code == 400 and "allowance_kind" in bad.json["error"]["details"]["fields"]


def test_detention_is_shown_to_the_carrier_and_the_mine(client):
    world = make_waybill(state="in_transit", net_kg=30_000, price_fen_per_t=80_000, freight_fen_per_t=10_000)
    with_wait(world, checked_in_offset=30 * 60_000, waited_ms=4 * HOUR)
    carrier = make_user("carrier", org_id=world["carrier_org"].org_id)
    gate = make_user("gate", mine_id="mine_hll")
    for user in (carrier, gate):
        body = breakdown(client, world, user).json
        waiting = body["detention"]
        assert waiting["on_time"] and waiting["waited_minutes"] == 240
        assert waiting["fen"] == 2 * 5000  # 4 h waited, 2 h free, 50 ¥ an hour
        assert body["figures"]["detention_fen"] == 10_000


def test_a_truck_that_checked_in_after_its_window_earns_no_detention(client):
    world = make_waybill(state="in_transit", net_kg=30_000, price_fen_per_t=80_000, freight_fen_per_t=10_000)
    with_wait(world, checked_in_offset=3 * HOUR, waited_ms=5 * HOUR)
    waiting = breakdown(client, world, world["driver"]).json["detention"]
    assert waiting["on_time"] is False and waiting["fen"] == 0


def test_only_the_parties_see_a_breakdown(client):
    world = make_waybill(state="confirmed", received_kg=34_000, price_fen_per_t=80_000, freight_fen_per_t=10_000)
    other_driver = make_user("driver")
    other_carrier = make_user("carrier", org_id=make_org("carrier").org_id)
    other_gate = make_user("gate", mine_id="mine_other")
    for outsider in (other_driver, other_carrier, other_gate):
        assert breakdown(client, world, outsider).status_code == 404
    assert breakdown(client, world, world["buyer"]).status_code == 200
    assert client.get(f"/api/settlement/waybills/{world['waybill'].waybill_id}").status_code == 401

"""Check-in at the fence edge (debounced), the early/late rules, and manual check-in confirmed by the gate."""

import pytest

from backend.appointments.booking import service as booking
from backend.appointments.checkin import service as checkin
from backend.common.clock import now_ms
from backend.seed.geo import offset
from backend.waybills import store as waybill_store
from tests.appointments.builders import GATE, HOUR, Crew, gate_actor, make_mine, make_slot

MIN = 60_000
INSIDE = GATE  # the gate fence is 400 m × 250 m around the gate point
EDGE_OUT = offset(*GATE, 230, 0)  # 30 m outside the fence's east edge


@pytest.fixture()
def mine(app):
    with app.app_context():
        yield make_mine()


def booked_crew(mine, *, start_ms=None):
    crew = Crew(mine.mine_id)
    slot = make_slot(mine.mine_id, start_ms=start_ms or now_ms() + 30 * MIN)
    crew.booking = booking.book(principal=crew.actor, waybill_id=crew.waybill.waybill_id, slot_id=slot, now_ms=now_ms())
    return crew


def fix(crew, point, at, accuracy=10):
    return checkin.process_fix(
        vehicle_id=crew.vehicle.vehicle_id, lon=point[0], lat=point[1], accuracy_m=accuracy, at_ms=at, now_ms=at
    )


def checked_in(crew, at=None):
    at = at or now_ms()
    fix(crew, INSIDE, at)
    assert fix(crew, INSIDE, at + 10_000)["result"] == "checked_in"
    return booking.find(crew.booking.booking_id)


def test_two_fixes_inside_check_the_truck_in(mine):
    crew = booked_crew(mine)
    checked_in(crew)
    assert waybill_store.get(crew.waybill.waybill_id).state == "checked_in"


def test_one_jittery_fix_at_the_edge_neither_checks_in_nor_out(mine):
    crew = booked_crew(mine)
    t = now_ms()
    assert fix(crew, EDGE_OUT, t)["result"] == "outside"
    assert fix(crew, INSIDE, t + 5_000)["result"] == "inside"  # one fix inside is not enough
    assert fix(crew, EDGE_OUT, t + 10_000)["result"] == "outside"
    assert fix(crew, INSIDE, t + 15_000)["result"] == "inside"
    assert waybill_store.get(crew.waybill.waybill_id).state == "booked"
    assert fix(crew, INSIDE, t + 20_000)["result"] == "checked_in"
    assert fix(crew, EDGE_OUT, t + 25_000)["result"] == "outside"  # one fix outside does not check out
    assert waybill_store.get(crew.waybill.waybill_id).state == "checked_in"
    assert fix(crew, EDGE_OUT, t + 30_000)["result"] == "checked_out"


def test_poor_accuracy_fixes_are_ignored(mine):
    crew = booked_crew(mine)
    t = now_ms()
    assert fix(crew, INSIDE, t, accuracy=500)["result"] == "ignored_accuracy"
    assert fix(crew, INSIDE, t + 5_000, accuracy=500)["result"] == "ignored_accuracy"
    assert waybill_store.get(crew.waybill.waybill_id).state == "booked"


def test_sixty_seconds_inside_settles_even_with_one_fix_needed_more(app, mine, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_DEBOUNCE_FIXES", 5)
    crew = booked_crew(mine)
    t = now_ms()
    assert fix(crew, INSIDE, t)["result"] == "inside"
    assert fix(crew, INSIDE, t + 30_000)["result"] == "inside"
    assert fix(crew, INSIDE, t + 61_000)["result"] == "checked_in"


@pytest.mark.parametrize(
    "offset_min, expected", [(-61, "too_early"), (-59, "checked_in"), (60 + 29, "checked_in"), (60 + 31, "too_late")]
)
def test_early_and_late_rules_around_the_slot(mine, offset_min, expected):
    start = now_ms() + 3 * HOUR
    crew = booked_crew(mine, start_ms=start)
    start = crew.booking.slot_start_ms
    at = start + offset_min * MIN
    fix(crew, INSIDE, at - 10_000)
    assert fix(crew, INSIDE, at)["result"] == expected


def test_manual_check_in_needs_the_gate_to_confirm(mine):
    crew = booked_crew(mine)
    checkin.request_manual(
        principal=crew.actor, booking_id=crew.booking.booking_id, reason="手机没有GPS信号", now_ms=now_ms()
    )
    assert waybill_store.get(crew.waybill.waybill_id).state == "booked"
    gate = gate_actor(mine.mine_id)
    assert [b.booking_id for b in checkin.pending_manual(principal=gate, mine_id=mine.mine_id)] == [
        crew.booking.booking_id
    ]
    done = checkin.confirm_manual(principal=gate, booking_id=crew.booking.booking_id, now_ms=now_ms())
    assert (done.stage, done.checkin_method) == ("checked_in", "manual")

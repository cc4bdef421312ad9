"""A truck an alert holds while it is in the mine's queue (backend/appointments/booking/holds.py): listed apart on
the gate's board, not on call, not expired by the clock; cleared, it is back on call with time to drive in."""

import pytest

from backend.alerts import service as alerts
from backend.appointments.booking import service as booking
from backend.appointments.queue import service as queue
from backend.appointments.settings import rules
from backend.common.clock import now_ms
from backend.waybills import store as waybill_store
from tests.appointments.builders import gate_actor, make_mine
from tests.appointments.test_checkin import MIN, booked_crew, checked_in


@pytest.fixture()
def mine(app):
    with app.app_context():
        yield make_mine()


def _board_ids(mine, now):
    board = queue.board(mine_id=mine.mine_id, now_ms=now)
    return {part: [row.booking_id for row in board[part]] for part in ("waiting", "called", "expected", "held")}


def _hold(mine, crew, now):
    return alerts.raise_alert(
        kind="fake_plate",
        mine_id=mine.mine_id,
        reason="识别车牌与登记车辆不符",  # Chinese, as gate staff write it: the role walks read every open alert
        actor=gate_actor(mine.mine_id),
        now_ms=now,
        waybill_id=crew.waybill.waybill_id,
    )


def test_a_called_truck_held_at_the_gate_waits_for_a_person_not_the_clock(mine):
    gate = gate_actor(mine.mine_id)
    crew, behind = booked_crew(mine), booked_crew(mine)
    checked_in(crew)
    checked_in(behind, now_ms() + 1_000)
    called = queue.call_next(principal=gate, mine_id=mine.mine_id, count=1, now_ms=now_ms())[0]
    assert called.booking_id == crew.booking.booking_id
    alert = _hold(mine, crew, now_ms())
    assert alert.held == "held" and waybill_store.get(crew.waybill.waybill_id).state == "held"

    held = booking.find(crew.booking.booking_id)
    assert held.held_at and held.stage == "called"  # marked by the hold's own transaction
    ids = _board_ids(mine, now_ms())
    assert ids["held"] == [crew.booking.booking_id] and crew.booking.booking_id not in ids["called"]
    # It is not on call: the rule calls the truck behind it.
    assert [b.booking_id for b in queue.call_next(principal=gate, mine_id=mine.mine_id, now_ms=now_ms())] == [
        behind.booking.booking_id
    ]
    # Its call deadline passes while the gate keeps it: the expiry leaves it alone (it used to retry for ever).
    late = called.call_deadline_ms + 60 * MIN
    counts = queue.expire_no_shows(now_ms=late, mine_ids=[mine.mine_id])
    assert booking.find(crew.booking.booking_id).stage == "called" and counts["requeued"] == 1  # only the other

    alerts.resolve(principal=gate, alert_id=alert.alert_id, outcome="cleared", reason="车牌核实无误", now_ms=late)
    cleared = booking.find(crew.booking.booking_id)
    assert cleared.held_at is None and cleared.stage == "called"
    assert cleared.call_deadline_ms == late + rules().grace_minutes * MIN  # time to drive in from the gate
    assert crew.booking.booking_id in _board_ids(mine, late)["called"]
    assert queue.expire_no_shows(now_ms=cleared.call_deadline_ms - 1, mine_ids=[mine.mine_id])["requeued"] == 0
    assert queue.expire_no_shows(now_ms=cleared.call_deadline_ms + 1, mine_ids=[mine.mine_id])["requeued"] == 1


def test_a_waiting_truck_held_is_not_called_until_cleared(mine):
    gate = gate_actor(mine.mine_id)
    crew, behind = booked_crew(mine), booked_crew(mine)
    checked_in(crew)
    checked_in(behind, now_ms() + 1_000)
    alert = _hold(mine, crew, now_ms())
    ids = _board_ids(mine, now_ms())
    assert ids["held"] == [crew.booking.booking_id] and ids["waiting"] == [behind.booking.booking_id]
    called = queue.call_next(principal=gate, mine_id=mine.mine_id, count=2, now_ms=now_ms())
    assert [b.booking_id for b in called] == [behind.booking.booking_id]
    alerts.resolve(principal=gate, alert_id=alert.alert_id, outcome="cleared", reason="核实无误", now_ms=now_ms())
    cleared = booking.find(crew.booking.booking_id)
    assert cleared.held_at is None and cleared.call_deadline_ms is None  # it was waiting: back in its place
    assert _board_ids(mine, now_ms())["waiting"] == [crew.booking.booking_id]


def test_a_hold_after_the_truck_left_the_queue_does_not_touch_its_booking(mine):
    gate = gate_actor(mine.mine_id)
    crew = booked_crew(mine)
    checked_in(crew)
    queue.call_next(principal=gate, mine_id=mine.mine_id, count=1, now_ms=now_ms())
    queue.admit(waybill_id=crew.waybill.waybill_id, actor=gate, now_ms=now_ms())
    before = booking.find(crew.booking.booking_id)
    _hold(mine, crew, now_ms())  # e.g. a weighing out of bounds, inside the mine
    assert waybill_store.get(crew.waybill.waybill_id).state == "held"
    after = booking.find(crew.booking.booking_id)
    assert after.held_at is None and after.updated_at == before.updated_at

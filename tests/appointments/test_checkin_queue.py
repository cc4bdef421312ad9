"""Check-in at the fence edge, early/late rules, the queue, call-in, release control and no-show expiry."""
import pytest

from backend.appointments.booking import service as booking
from backend.appointments.checkin import service as checkin
from backend.appointments.log import service as log
from backend.appointments.queue import service as queue
from backend.appointments.windows import service as windows
from backend.auth import store as auth_store
from backend.common.clock import now_ms
from backend.common.errors import ApiError
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
    return checkin.process_fix(vehicle_id=crew.vehicle.vehicle_id, lon=point[0], lat=point[1], accuracy_m=accuracy,
                               at_ms=at, now_ms=at)


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


@pytest.mark.parametrize("offset_min, expected", [(-61, "too_early"), (-59, "checked_in"),
                                                  (60 + 29, "checked_in"), (60 + 31, "too_late")])
def test_early_and_late_rules_around_the_slot(mine, offset_min, expected):
    start = now_ms() + 3 * HOUR
    crew = booked_crew(mine, start_ms=start)
    start = crew.booking.slot_start_ms
    at = start + offset_min * MIN
    fix(crew, INSIDE, at - 10_000)
    assert fix(crew, INSIDE, at)["result"] == expected


def test_queue_orders_by_window_then_check_in_time(mine):
    later_window = booked_crew(mine, start_ms=now_ms() + 50 * MIN)
    first, second = booked_crew(mine), booked_crew(mine)
    t = now_ms()
    checked_in(later_window, t)
    checked_in(second, t + 1_000)
    checked_in(first, t + 60_000)
    board = queue.board(mine_id=mine.mine_id, now_ms=now_ms())
    order = [row.waybill_id for row in board["waiting"]]
    assert order == [second.waybill.waybill_id, first.waybill.waybill_id, later_window.waybill.waybill_id]
    predicted = [row.predicted_call_ms for row in board["waiting"]]
    assert predicted == sorted(predicted)


def test_release_is_refused_to_an_uncalled_truck(mine):
    crew = booked_crew(mine)
    checked_in(crew)
    with pytest.raises(ApiError) as error:
        queue.admit(waybill_id=crew.waybill.waybill_id, actor=gate_actor(mine.mine_id), now_ms=now_ms())
    assert error.value.code == "not_called"
    assert waybill_store.get(crew.waybill.waybill_id).state == "checked_in"


def test_called_truck_enters(mine):
    crew = booked_crew(mine)
    checked_in(crew)
    gate = gate_actor(mine.mine_id)
    called = queue.call_next(principal=gate, mine_id=mine.mine_id, count=1, now_ms=now_ms())
    assert [b.waybill_id for b in called] == [crew.waybill.waybill_id]
    assert called[0].call_deadline_ms == called[0].called_at + (6 + 15) * MIN
    queue.admit(waybill_id=crew.waybill.waybill_id, actor=gate, now_ms=now_ms())
    assert waybill_store.get(crew.waybill.waybill_id).state == "entered"
    assert booking.find(crew.booking.booking_id).status == "entered"


def test_override_lets_an_uncalled_truck_in_and_is_recorded(mine):
    crew = booked_crew(mine)
    gate = gate_actor(mine.mine_id)
    queue.admit(waybill_id=crew.waybill.waybill_id, actor=gate, now_ms=now_ms(), override_reason="急救物资车")
    assert waybill_store.get(crew.waybill.waybill_id).state == "entered"
    events, _ = log.mine_events(principal=gate, mine_id=mine.mine_id, limit=10, last_evaluated_key=None)
    override = [e for e in events if e.action == "override"]
    assert len(override) == 1
    assert (override[0].actor_id, override[0].reason, override[0].waybill_id) == (
        gate.user_id, "急救物资车", crew.waybill.waybill_id)


def test_gate_staff_of_another_mine_cannot_admit(mine):
    crew = booked_crew(mine)
    with pytest.raises(ApiError) as error:
        queue.admit(waybill_id=crew.waybill.waybill_id, actor=gate_actor("mine_other"), now_ms=now_ms(),
                      override_reason="try")
    assert error.value.status == 403


def test_called_no_show_goes_back_once_then_expires(mine):
    crew = booked_crew(mine)
    checked_in(crew)
    called = queue.call_next(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, count=1, now_ms=now_ms())[0]
    late = called.call_deadline_ms + 1
    assert queue.expire_no_shows(now_ms=late, mine_ids=[mine.mine_id]) == {"requeued": 1, "expired": 0}
    back = booking.find(crew.booking.booking_id)
    assert (back.stage, back.requeues, back.queue_at) == ("checked_in", 1, late)
    again = queue.call_next(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, count=1, now_ms=late)[0]
    assert queue.expire_no_shows(now_ms=again.call_deadline_ms + 1, mine_ids=[mine.mine_id]) == {"requeued": 0,
                                                                                                 "expired": 1}
    waybill = waybill_store.get(crew.waybill.waybill_id)
    assert (waybill.state, waybill.booking_id) == ("assigned", None)
    assert windows.get_slot(crew.booking.slot_id).booked == 0
    assert auth_store.get_user(crew.user.user_id).no_shows == 1
    events, _ = log.mine_events(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, limit=20,
                                last_evaluated_key=None)
    actions = [e.action for e in events]
    assert actions.count("requeue") == 1 and actions.count("expire") == 1


def test_a_truck_that_never_checks_in_expires_after_the_late_margin(mine):
    crew = booked_crew(mine)
    end = crew.booking.slot_end_ms
    assert queue.expire_no_shows(now_ms=end + 29 * MIN, mine_ids=[mine.mine_id])["expired"] == 0
    assert queue.expire_no_shows(now_ms=end + 31 * MIN, mine_ids=[mine.mine_id])["expired"] == 1
    assert booking.find(crew.booking.booking_id).status == "expired"


def test_manual_check_in_needs_the_gate_to_confirm(mine):
    crew = booked_crew(mine)
    checkin.request_manual(principal=crew.actor, booking_id=crew.booking.booking_id, reason="手机没有GPS信号",
                           now_ms=now_ms())
    assert waybill_store.get(crew.waybill.waybill_id).state == "booked"
    gate = gate_actor(mine.mine_id)
    assert [b.booking_id for b in checkin.pending_manual(principal=gate, mine_id=mine.mine_id)] == [
        crew.booking.booking_id]
    done = checkin.confirm_manual(principal=gate, booking_id=crew.booking.booking_id, now_ms=now_ms())
    assert (done.stage, done.checkin_method) == ("checked_in", "manual")

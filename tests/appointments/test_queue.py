"""The queue: board order, call-in, release control at the gate, no-show expiry, and a driver's position
(the board's answer, in the same few calls however long the queue is)."""

import pytest

from backend.appointments.booking import service as booking
from backend.appointments.log import service as log
from backend.appointments.queue import service as queue
from backend.appointments.windows import service as windows
from backend.auth import store as auth_store
from backend.common.clock import now_ms
from backend.common.errors import ApiError
from backend.waybills import store as waybill_store
from tests.appointments.builders import gate_actor, make_mine
from tests.appointments.test_checkin import MIN, booked_crew, checked_in
from tests.callcount import count_calls


@pytest.fixture()
def mine(app):
    with app.app_context():
        yield make_mine()


def positions(mine, crews):
    """{waybill_id: position} from the counters, and the board's own order."""
    got = {c.waybill.waybill_id: queue.position_of(checked, now_ms=now_ms())["position"] for c, checked in crews}
    board = [row.waybill_id for row in queue.board(mine_id=mine.mine_id, now_ms=now_ms())["waiting"]]
    return got, board


def test_position_matches_the_board_across_windows_calls_and_requeues(mine):
    later = booked_crew(mine, start_ms=now_ms() + 50 * MIN)
    crews = [later] + [booked_crew(mine) for _ in range(3)]
    t = now_ms()
    stamped = [(c, checked_in(c, t + i * 1_000)) for i, c in enumerate(crews)]
    got, board = positions(mine, stamped)
    assert [wb for wb, _ in sorted(got.items(), key=lambda kv: kv[1])] == board
    assert board[-1] == later.waybill.waybill_id  # an earlier check-in for a later window waits behind
    queue.call_next(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, count=1, now_ms=now_ms())
    waiting = [(c, b) for c, b in stamped if c.waybill.waybill_id in board[1:]]
    got, board = positions(mine, [(c, booking.find(b.booking_id)) for c, b in waiting])
    assert sorted(got.values()) == [1, 2, 3] and min(got, key=got.get) == board[0]


def test_a_position_costs_the_same_calls_with_3_or_30_trucks_waiting(mine):
    crews = [booked_crew(mine) for _ in range(30)]  # booked first: the test builder re-saves the shared window

    def cost(crew):
        booking = checked_in(crew)
        with count_calls() as calls:
            place = queue.position_of(booking, now_ms=now_ms())
        return place, calls

    for crew in crews[:2]:
        checked_in(crew)
    few, few_calls = cost(crews[2])
    for crew in crews[3:29]:
        checked_in(crew)
    many, many_calls = cost(crews[29])
    assert (few["position"], many["position"], many["waiting"]) == (3, 30, 30)
    assert len(many_calls) == len(few_calls) <= 2


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
    events, _ = log.mine_events(
        principal=gate, mine_id=mine.mine_id, limit=10, last_evaluated_key=None, now_ms=now_ms()
    )
    override = [e for e in events if e.action == "override"]
    assert len(override) == 1
    assert (override[0].actor_id, override[0].reason, override[0].waybill_id) == (
        gate.user_id,
        "急救物资车",
        crew.waybill.waybill_id,
    )


def test_gate_staff_of_another_mine_cannot_admit(mine):
    crew = booked_crew(mine)
    with pytest.raises(ApiError) as error:
        queue.admit(
            waybill_id=crew.waybill.waybill_id, actor=gate_actor("mine_other"), now_ms=now_ms(), override_reason="try"
        )
    assert error.value.status == 403


def test_called_no_show_goes_back_once_then_expires(mine):
    crew = booked_crew(mine)
    checked_in(crew)
    called = queue.call_next(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, count=1, now_ms=now_ms())[0]
    late = called.call_deadline_ms + 1
    assert queue.expire_no_shows(now_ms=late, mine_ids=[mine.mine_id]) == {"requeued": 1, "expired": 0, "promoted": 0}
    back = booking.find(crew.booking.booking_id)
    assert (back.stage, back.requeues, back.queue_at) == ("checked_in", 1, late)
    again = queue.call_next(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, count=1, now_ms=late)[0]
    assert queue.expire_no_shows(now_ms=again.call_deadline_ms + 1, mine_ids=[mine.mine_id]) == {
        "requeued": 0,
        "expired": 1,
        "promoted": 0,
    }
    waybill = waybill_store.get(crew.waybill.waybill_id)
    assert (waybill.state, waybill.booking_id) == ("assigned", None)
    assert windows.get_slot(crew.booking.slot_id).booked == 0
    assert auth_store.get_user(crew.user.user_id).no_shows == 1
    events, _ = log.mine_events(
        principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, limit=20, last_evaluated_key=None, now_ms=late
    )
    actions = [e.action for e in events]
    assert actions.count("requeue") == 1 and actions.count("no_show") == 1


def test_a_truck_that_never_checks_in_expires_after_the_late_margin(mine):
    crew = booked_crew(mine)
    end = crew.booking.slot_end_ms
    assert queue.expire_no_shows(now_ms=end + 29 * MIN, mine_ids=[mine.mine_id])["expired"] == 0
    assert queue.expire_no_shows(now_ms=end + 31 * MIN, mine_ids=[mine.mine_id])["expired"] == 1
    assert booking.find(crew.booking.booking_id).status == "expired"

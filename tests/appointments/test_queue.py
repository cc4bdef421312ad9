"""A driver's queue position: the board's answer, in the same few calls however long the queue is."""
import pytest

from backend.appointments.booking import service as booking
from backend.appointments.queue import service as queue
from backend.common.clock import now_ms
from tests.appointments.builders import gate_actor, make_mine
from tests.appointments.test_checkin_queue import MIN, booked_crew, checked_in
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

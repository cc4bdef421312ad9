"""The queue's writes cost the same round trips with ten trucks waiting as with none, and a burst of bookings
is chained into the day's log in one transaction, not one per booking."""

import pytest

from backend.appointments.log import service as log
from backend.appointments.queue import service as queue
from backend.common.clock import now_ms, shanghai_date
from tests.appointments.builders import gate_actor, make_mine
from tests.appointments.test_checkin import INSIDE, booked_crew, fix
from tests.callcount import count_calls


@pytest.fixture()
def mine(app):
    with app.app_context():
        yield make_mine(lanes=4, per_hour=20)


def _check_in_counted(crew, at):
    fix(crew, INSIDE, at)
    with count_calls() as calls:
        assert fix(crew, INSIDE, at + 10_000)["result"] == "checked_in"
    return list(calls)


def _call_and_admit_counted(mine, at):
    gate = gate_actor(mine.mine_id)
    with count_calls() as call_calls:
        (called,) = queue.call_next(principal=gate, mine_id=mine.mine_id, count=1, now_ms=at)
    with count_calls() as admit_calls:
        queue.admit(waybill_id=called.waybill_id, actor=gate, now_ms=at + 10_000)
    return list(call_calls), list(admit_calls)


def test_check_in_call_and_admit_cost_the_same_with_ten_trucks_waiting(mine):
    crews = [booked_crew(mine) for _ in range(12)]
    t = now_ms()
    log.seal_day(mine.mine_id, t)  # the bookings' log entries chained, so both check-ins below find none pending
    alone = [_check_in_counted(crews[0], t), *_call_and_admit_counted(mine, t + 20_000)]
    for i, crew in enumerate(crews[1:-1]):
        _check_in_counted(crew, t + 30_000 + i * 1_000)
    crowded = [_check_in_counted(crews[-1], t + 60_000), *_call_and_admit_counted(mine, t + 80_000)]
    assert crowded == alone
    assert [len(c) for c in crowded] <= [12, 10, 6]  # check-in, call, admit: a regression shows here


def test_a_burst_of_bookings_is_chained_in_one_transaction(mine):
    crews = [booked_crew(mine) for _ in range(30)]  # thirty log entries written pending by their bookings
    with count_calls() as calls:
        sealed = log.seal_day(mine.mine_id, now_ms())
    assert sealed == 30
    assert calls == ["Query", "GetItem", "TransactWriteItems"]
    entries, head, problems = log.verify_day(mine.mine_id, shanghai_date(now_ms()))
    assert (len(entries), head[0], problems) == (30, 30, [])
    assert {e["booking_id"] for e in entries} == {c.booking.booking_id for c in crews}
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)  # chained in time order

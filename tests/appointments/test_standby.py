"""Standby, overbooking and the lot bound under concurrency (DynamoDB Local): many threads at once never seat
more trucks in a window than it holds, never seat one truck twice, never put more trucks in the lot than the bound."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.appointments.booking import service as booking
from backend.appointments.checkin import service as checkin
from backend.appointments.queue import service as queue
from backend.appointments.windows import service as windows
from backend.appointments.windows.planning import slot_id
from backend.common.clock import now_ms
from backend.common.errors import ApiError
from backend.waybills import store as waybill_store
from tests.appointments.builders import HOUR, make_mine, make_slot, make_waybill
from tests.builders import random_ref

MIN = 60_000


class Driver:
    def __init__(self, user_id):
        self.user_id, self.role, self.org_id, self.mine_id = user_id, "driver", None, None


class Gate:
    def __init__(self, mine_id):
        self.user_id, self.role, self.org_id, self.mine_id = random_ref("u"), "gate", None, mine_id


@pytest.fixture()
def mine(app):
    with app.app_context():
        yield make_mine()


def _race(app, work, items, threads=24):
    """Run work(item) for every item at once, each thread in its own app context; the results or error codes."""

    def run(item):
        with app.app_context():
            try:
                return work(item)
            except ApiError as error:
                return error.code

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(run, items))


def _standby_crews(mine, later, count, ready):
    """Drivers booked into the later window who could come from `ready` (standby for earlier windows)."""
    made = []
    for _ in range(count):
        waybill = make_waybill(mine.mine_id, driver_id=random_ref("u"))
        made.append(
            booking.book(
                principal=Driver(waybill.driver_id),
                waybill_id=waybill.waybill_id,
                slot_id=later,
                now_ms=now_ms(),
                standby_from_ms=ready,
            )
        )
    return made


def test_standby_trucks_take_exactly_the_freed_seats_however_many_promoters_race(app, mine):
    start = now_ms() + HOUR
    early = make_slot(mine.mine_id, start_ms=start, capacity=4, booked=4)  # full: the standby list wants it
    later = make_slot(mine.mine_id, start_ms=start + 3 * HOUR, capacity=40)
    standby = _standby_crews(mine, later, 12, ready=start - HOUR)
    windows.set_capacity(principal=Gate(mine.mine_id), slot_id=early, capacity=7, now_ms=now_ms())  # 3 seats free
    slot = windows.get_slot(early)

    def promote(_):
        return [
            b.booking_id
            for b in booking.promote_standby(mine_id=mine.mine_id, slot=slot, actor=Gate(mine.mine_id), now_ms=now_ms())
        ]

    results = _race(app, promote, range(16))
    promoted = [b for got in results if isinstance(got, list) for b in got]
    assert len(promoted) == 3 and len(set(promoted)) == 3
    assert windows.get_slot(early).booked == 7  # never above capacity
    assert windows.get_slot(later).booked == 12 - 3
    # No truck holds two seats: each waybill points at one active booking, in one window.
    for made in standby:
        waybill = waybill_store.get(made.waybill_id)
        active = [b for b in booking.mine_active(mine.mine_id) if b.waybill_id == made.waybill_id]
        assert len(active) == 1 and waybill.booking_id == active[0].booking_id
    moved = [b for b in booking.mine_active(mine.mine_id) if b.slot_id == early]
    # First asked, first served: the three earliest standby bookings got the seats.
    assert sorted(b.waybill_id for b in moved) == sorted(b.waybill_id for b in standby[:3])


def test_promotions_and_new_bookings_racing_for_one_window_never_oversell_it(app, mine):
    start = now_ms() + HOUR
    early = make_slot(mine.mine_id, start_ms=start, capacity=5, booked=0)
    later = make_slot(mine.mine_id, start_ms=start + 3 * HOUR, capacity=40)
    _standby_crews(mine, later, 10, ready=start - HOUR)
    newcomers = [make_waybill(mine.mine_id, driver_id=random_ref("u")) for _ in range(10)]
    slot = windows.get_slot(early)

    def act(item):
        if item is None:
            return len(
                booking.promote_standby(mine_id=mine.mine_id, slot=slot, actor=Gate(mine.mine_id), now_ms=now_ms())
            )
        booking.book(principal=Driver(item.driver_id), waybill_id=item.waybill_id, slot_id=early, now_ms=now_ms())
        return 1

    results = _race(app, act, [None] * 8 + newcomers)
    assert set(r for r in results if isinstance(r, str)) <= {"slot_full", "busy"}
    assert windows.get_slot(early).booked == 5
    assert len([b for b in booking.mine_active(mine.mine_id) if b.slot_id == early]) == 5


def test_the_lot_never_holds_more_than_its_bound_however_many_trucks_check_in_at_once(app, mine):
    app.config["LOT_MAX_TRUCKS"] = 6
    try:
        start = now_ms() + 20 * MIN
        window = make_slot(mine.mine_id, start_ms=start, capacity=40)
        booked = []
        for _ in range(20):
            waybill = make_waybill(mine.mine_id, driver_id=random_ref("u"))
            booked.append(
                booking.book(
                    principal=Driver(waybill.driver_id), waybill_id=waybill.waybill_id, slot_id=window, now_ms=now_ms()
                )
            )

        def arrive(made):
            checkin.check_in(made, actor=Gate(mine.mine_id), at_ms=now_ms(), now_ms=now_ms(), method="manual")
            return "in"

        results = _race(app, arrive, booked)
        assert results.count("in") == 6
        assert set(results) <= {"in", "lot_full", "busy"}
        assert queue.board(mine_id=mine.mine_id, now_ms=now_ms())["in_lot"] == 6
        waiting = [b for b in booking.mine_active(mine.mine_id) if b.stage == "checked_in"]
        assert len(waiting) == 6
        # A call takes a truck out of the lot: one more may check in, still never above the bound.
        queue.call_next(principal=Gate(mine.mine_id), mine_id=mine.mine_id, count=1, now_ms=now_ms())
        rest = [b for b in booked if booking.find(b.booking_id).stage == "booked"]
        results = _race(app, arrive, rest)
        assert results.count("in") == 1
        assert windows.measured(mine)["in_lot"] == 6
    finally:
        app.config["LOT_MAX_TRUCKS"] = 30


def test_an_absent_truck_s_seat_goes_to_a_standby_truck_at_once_not_after_the_window(app, mine):
    start = now_ms() + 25 * MIN
    early = make_slot(mine.mine_id, start_ms=start, capacity=2)
    absent = []
    for _ in range(2):
        waybill = make_waybill(mine.mine_id, driver_id=random_ref("u"))
        absent.append(
            booking.book(
                principal=Driver(waybill.driver_id), waybill_id=waybill.waybill_id, slot_id=early, now_ms=now_ms()
            )
        )
    later = make_slot(mine.mine_id, start_ms=start + 4 * HOUR, capacity=10)
    (waiting,) = _standby_crews(mine, later, 1, ready=start - HOUR)
    # Ten minutes past the first truck's arrive-by time and not checked in: its seat is offered, the standby truck
    # moves in while the window is still running; the absent truck keeps its own seat in case it comes.
    soon = start + 15 * MIN
    promoted = queue.fill_seats(mine, now_ms=soon)
    assert [b.waybill_id for b in promoted] == [waiting.waybill_id]
    slot = windows.get_slot(early)
    assert (slot.booked, slot.capacity) == (3, 3)
    assert booking.find(absent[0].booking_id).status == "active"
    assert waybill_store.get(waiting.waybill_id).slot_id == early


def test_seats_of_windows_still_to_start_follow_the_lanes_measured_cycle(app, mine):
    now = now_ms()
    windows.open_mine_days(mine, now_ms=now, days=1)  # 2 lanes × 6 trucks an hour: 12 seats a 60-min window
    day = [s for s in windows.list_slots(mine_id=mine.mine_id, date=None, now_ms=now) if s.start_ms > now]
    if not day:
        pytest.skip("no window of today is still to start at this hour")
    assert {s.capacity for s in day} == {12}
    # The gate weighs a truck every 7.5 minutes on each lane: 8 trucks a lane-hour, 16 seats an hour.
    weighings = [(now - i * 450_000, lane, "gross") for lane in ("bridge-1", "bridge-2") for i in range(10)]
    queue.expire_no_shows(now_ms=now, mine_ids=[mine.mine_id], weighings=lambda _mine_id: weighings)
    fresh = [windows.get_slot(slot_id(mine.mine_id, s.start_ms)) for s in day]
    assert {(s.lane_capacity, s.capacity) for s in fresh} == {(16, 16)}
    assert queue.board(mine_id=mine.mine_id, now_ms=now)["call_rule"]["cycle_ms"] == 450_000

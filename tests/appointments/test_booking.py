"""Booking rules: seats, one booking per waybill, move and cancel atomicity, the 1,000-thread race."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.appointments.booking import service as booking
from backend.appointments.windows import service as windows
from backend.common.clock import now_ms
from backend.common.errors import ApiError
from backend.waybills import store as waybill_store
from tests.appointments.builders import HOUR, make_mine, make_slot, make_waybill
from tests.builders import random_ref


class Driver:
    def __init__(self, user_id):
        self.user_id, self.role, self.org_id, self.mine_id = user_id, "driver", None, None


@pytest.fixture()
def mine(app):
    with app.app_context():
        yield make_mine()


def _book(waybill, slot_id, at=None):
    return booking.book(
        principal=Driver(waybill.driver_id), waybill_id=waybill.waybill_id, slot_id=slot_id, now_ms=at or now_ms()
    )


def _seats(slot_id):
    return windows.get_slot(slot_id).booked


def test_booking_takes_a_seat_and_books_the_waybill(mine):
    slot = make_slot(mine.mine_id, capacity=2)
    waybill = make_waybill(mine.mine_id)
    made = _book(waybill, slot)
    fresh = waybill_store.get(waybill.waybill_id)
    assert (fresh.state, fresh.booking_id, fresh.slot_id) == ("booked", made.booking_id, slot)
    assert _seats(slot) == 1


def test_a_waybill_holds_one_active_booking(mine):
    first, second = make_slot(mine.mine_id), make_slot(mine.mine_id, start_ms=now_ms() + 5 * HOUR)
    waybill = make_waybill(mine.mine_id)
    _book(waybill, first)
    with pytest.raises(ApiError) as error:
        _book(waybill, second)
    assert error.value.code == "illegal_transition"
    assert (_seats(first), _seats(second)) == (1, 0)


def test_full_window_refuses_with_slot_full(mine):
    slot = make_slot(mine.mine_id, capacity=1)
    _book(make_waybill(mine.mine_id), slot)
    with pytest.raises(ApiError) as error:
        _book(make_waybill(mine.mine_id), slot)
    assert error.value.code == "slot_full" and error.value.status == 409


def test_no_booking_once_the_window_has_started(mine):
    slot = make_slot(mine.mine_id, start_ms=now_ms() + HOUR)
    _, start = windows.slot_keys(slot)
    with pytest.raises(ApiError) as error:
        _book(make_waybill(mine.mine_id), slot, at=start + 1)
    assert error.value.code == "slot_started"


def test_window_at_another_mine_is_refused_naming_the_field(mine):
    other = make_slot(make_mine().mine_id)
    with pytest.raises(ApiError) as error:
        _book(make_waybill(mine.mine_id), other)
    assert "slot_id" in error.value.details["fields"]


def test_only_the_assigned_driver_may_book(mine):
    slot = make_slot(mine.mine_id)
    waybill = make_waybill(mine.mine_id)
    with pytest.raises(ApiError) as error:
        booking.book(principal=Driver("u_someone_else"), waybill_id=waybill.waybill_id, slot_id=slot, now_ms=now_ms())
    assert error.value.status == 404 and _seats(slot) == 0


def test_move_releases_the_old_seat_and_takes_the_new_one(mine):
    old_slot, new_slot = make_slot(mine.mine_id), make_slot(mine.mine_id, start_ms=now_ms() + 4 * HOUR)
    waybill = make_waybill(mine.mine_id)
    old = _book(waybill, old_slot)
    new = booking.move(
        principal=Driver(waybill.driver_id), booking_id=old.booking_id, slot_id=new_slot, now_ms=now_ms()
    )
    assert (_seats(old_slot), _seats(new_slot)) == (0, 1)
    assert booking.find(old.booking_id).status == "moved"
    assert waybill_store.get(waybill.waybill_id).booking_id == new.booking_id


def test_move_to_a_full_window_changes_nothing(mine):
    old_slot, full_slot = make_slot(mine.mine_id), make_slot(mine.mine_id, start_ms=now_ms() + 4 * HOUR, capacity=1)
    _book(make_waybill(mine.mine_id), full_slot)
    waybill = make_waybill(mine.mine_id)
    old = _book(waybill, old_slot)
    with pytest.raises(ApiError) as error:
        booking.move(principal=Driver(waybill.driver_id), booking_id=old.booking_id, slot_id=full_slot, now_ms=now_ms())
    assert error.value.code == "slot_full"
    assert (_seats(old_slot), _seats(full_slot)) == (1, 1)
    assert booking.find(old.booking_id).status == "active"
    assert waybill_store.get(waybill.waybill_id).booking_id == old.booking_id


def test_cancel_gives_the_seat_back(mine):
    slot = make_slot(mine.mine_id, capacity=1)
    waybill = make_waybill(mine.mine_id)
    made = _book(waybill, slot)
    booking.cancel(principal=Driver(waybill.driver_id), booking_id=made.booking_id, now_ms=now_ms())
    assert _seats(slot) == 0
    assert waybill_store.get(waybill.waybill_id).state == "assigned"
    _book(make_waybill(mine.mine_id), slot)  # the freed seat is bookable again
    assert _seats(slot) == 1


def test_concurrent_move_and_cancel_leave_the_counters_consistent(mine):
    a, b = make_slot(mine.mine_id), make_slot(mine.mine_id, start_ms=now_ms() + 4 * HOUR)
    waybill = make_waybill(mine.mine_id)
    made = _book(waybill, a)
    driver = Driver(waybill.driver_id)
    calls = [
        lambda: booking.move(principal=driver, booking_id=made.booking_id, slot_id=b, now_ms=now_ms()),
        lambda: booking.cancel(principal=driver, booking_id=made.booking_id, now_ms=now_ms()),
    ]
    with ThreadPoolExecutor(2) as pool:
        outcomes = [f.exception() for f in [pool.submit(c) for c in calls]]
    assert sum(o is None for o in outcomes) == 1  # exactly one of them won
    state = waybill_store.get(waybill.waybill_id).state
    assert _seats(a) + _seats(b) == (1 if state == "booked" else 0)
    assert _seats(a) == 0


@pytest.mark.slow
def test_a_thousand_concurrent_bookings_of_fifty_seats_give_exactly_fifty(mine):
    slot = make_slot(mine.mine_id, capacity=50)
    waybills = [make_waybill(mine.mine_id, driver_id=random_ref("u")) for _ in range(1000)]

    def attempt(waybill):
        try:
            _book(waybill, slot)
            return "ok"
        except ApiError as error:
            return error.code

    with ThreadPoolExecutor(64) as pool:
        results = list(pool.map(attempt, waybills))
    assert results.count("ok") == 50
    assert _seats(slot) == 50
    assert set(results) <= {"ok", "slot_full", "busy"}  # a refusal always says why
    booked = [w for w in waybills if waybill_store.get(w.waybill_id).state == "booked"]
    assert len(booked) == 50

"""Window, seat, queue and ETA arithmetic (backend.appointments.windows.planning), without DynamoDB."""

from types import SimpleNamespace

import pytest

from backend.appointments.windows import planning
from backend.common.clock import shanghai_midnight_ms

MIN, HOUR = 60_000, 3_600_000
DAY = "2026-09-22"
MIDNIGHT = shanghai_midnight_ms(DAY)


def test_a_day_is_cut_into_windows_of_shanghai_time():
    windows = planning.windows_for_day(DAY, day_start_hour=8, day_end_hour=18, window_minutes=60)
    assert len(windows) == 10
    assert windows[0] == (MIDNIGHT + 8 * HOUR, MIDNIGHT + 9 * HOUR)
    assert windows[-1][1] == MIDNIGHT + 18 * HOUR
    assert all(end == start for (_, end), (start, _) in zip(windows, windows[1:]))  # no gaps, no overlap


def test_seats_are_what_the_lanes_load_scaled_by_the_plan():
    assert planning.window_capacity(lanes=2, trucks_per_lane_hour=6, window_minutes=60) == 12
    assert planning.window_capacity(lanes=2, trucks_per_lane_hour=6, window_minutes=30, factor=0.5) == 3
    assert planning.window_capacity(lanes=1, trucks_per_lane_hour=5, window_minutes=30) == 2  # never rounds up


def test_the_plan_shares_out_the_lanes_only_when_it_is_smaller():
    lanes = dict(avg_load_kg=34_000, lanes=2, trucks_per_lane_hour=6, open_hours=10)  # 120 trucks a day
    assert planning.plan_factor(plan_kg=34_000 * 60, **lanes) == 0.5
    assert planning.plan_factor(plan_kg=34_000 * 500, **lanes) == 1.0
    assert planning.plan_factor(plan_kg=0, **lanes) == 1.0  # no plan set: the lanes decide


def test_the_queue_is_by_window_then_by_when_the_truck_joined():
    entries = [
        {"booking_id": "b_late_window", "slot_start_ms": 2 * HOUR, "queue_at": 1},
        {"booking_id": "b_requeued", "slot_start_ms": HOUR, "queue_at": 50},
        {"booking_id": "b_first", "slot_start_ms": HOUR, "queue_at": 10},
        {"booking_id": "b_booked_only", "slot_start_ms": HOUR, "queue_at": None},
    ]
    order = [e["booking_id"] for e in planning.queue_order(entries)]
    assert order == ["b_booked_only", "b_first", "b_requeued", "b_late_window"]


def test_the_call_is_expected_after_the_trucks_ahead_and_not_long_before_the_window():
    now = MIDNIGHT + 8 * HOUR
    soon = planning.predict_call_ms(ahead=6, rate_per_hour=12, now_ms=now, slot_start_ms=now, lead_ms=15 * MIN)
    assert soon == now + 30 * MIN
    later = planning.predict_call_ms(
        ahead=0, rate_per_hour=12, now_ms=now, slot_start_ms=now + 2 * HOUR, lead_ms=15 * MIN
    )
    assert later == now + 2 * HOUR - 15 * MIN
    odd = planning.predict_call_ms(ahead=1, rate_per_hour=7, now_ms=now, slot_start_ms=now, lead_ms=0)
    assert odd % MIN == 0 and now + 8 * MIN <= odd <= now + 9 * MIN
    assert planning.predict_call_ms(ahead=1, rate_per_hour=0, now_ms=now, slot_start_ms=now, lead_ms=0) is None


def test_eta_is_road_distance_at_average_speed():
    assert planning.eta_ms(distance_m=50_000, now_ms=0, speed_kmh=50, road_factor=1.0) == HOUR
    assert planning.eta_ms(distance_m=50_000, now_ms=0, speed_kmh=50, road_factor=1.3) == int(1.3 * HOUR)


def slot(hour, *, capacity=10, booked=0, status="open"):
    return SimpleNamespace(
        start_ms=MIDNIGHT + hour * HOUR,
        end_ms=MIDNIGHT + (hour + 1) * HOUR,
        capacity=capacity,
        booked=booked,
        status=status,
    )


def test_suggestions_are_the_next_windows_with_seats_the_truck_can_reach():
    now, eta = MIDNIGHT + 8 * HOUR + 10 * MIN, MIDNIGHT + 10 * HOUR + 30 * MIN
    slots = [slot(13), slot(8), slot(9), slot(10), slot(11, booked=10), slot(12, status="closed"), slot(14), slot(15)]
    picked = planning.suggest_windows(slots, eta=eta, now_ms=now, early_ms=HOUR)
    # 08:00 has started, 09:00 ends before the truck arrives, 11:00 is full and 12:00 closed.
    assert [s.start_ms for s, _ in picked] == [MIDNIGHT + h * HOUR for h in (10, 13, 14)]
    assert [early for _, early in picked] == [False, True, True]  # waiting over an hour at the gate


@pytest.mark.parametrize("count", [1, 2])
def test_no_more_suggestions_than_asked(count):
    slots = [slot(h) for h in range(9, 18)]
    assert len(planning.suggest_windows(slots, eta=MIDNIGHT, now_ms=MIDNIGHT, early_ms=HOUR, count=count)) == count

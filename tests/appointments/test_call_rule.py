"""The queue's pure rules (backend.appointments.queue.planning): the call lead follows measured times, seats
follow the measured lane cycle, the offered window and standby list, overbooking by the no-show rate."""

from types import SimpleNamespace

from backend.appointments.queue import planning

MIN = 60_000


def test_the_lead_covers_the_drive_from_the_lot_at_the_lanes_pace():
    # A 6-minute drive with 4 lanes of 10 minutes: a lane frees every 2.5 min, so 3 on the road (+1 buffer).
    assert planning.calls_ahead(drive_ms=6 * MIN, cycle_ms=10 * MIN, lanes=4, buffer=1) == 4
    # The measured drive doubles: twice the trucks ahead; the lanes slow down: fewer.
    assert planning.calls_ahead(drive_ms=12 * MIN, cycle_ms=10 * MIN, lanes=4, buffer=1) == 6
    assert planning.calls_ahead(drive_ms=6 * MIN, cycle_ms=20 * MIN, lanes=4, buffer=1) == 3


def test_only_the_missing_calls_are_made_and_never_more_than_wait():
    assert planning.to_call(waiting=10, on_call=1, ahead=4) == 3
    assert planning.to_call(waiting=2, on_call=0, ahead=4) == 2
    assert planning.to_call(waiting=10, on_call=5, ahead=4) == 0


def test_the_lane_cycle_is_measured_from_each_lane_s_weighings():
    weighings = [(t * MIN, "bridge-1", "gross") for t in (0, 8, 16, 24, 32)]
    weighings += [(t * MIN, "bridge-2", "gross") for t in (3, 11, 19)]
    weighings += [(t * MIN, "bridge-1", "tare") for t in (1, 9)]
    assert planning.lane_cycle_ms(weighings, default_ms=10 * MIN) == 8 * MIN
    # A lane that stood for lunch does not count as one slow truck; too few weighings keep the template.
    assert planning.lane_cycle_ms(weighings + [(100 * MIN, "bridge-2", "gross")], default_ms=10 * MIN) == 8 * MIN
    assert planning.lane_cycle_ms(weighings[:2], default_ms=10 * MIN) == 10 * MIN


def test_seats_follow_the_measured_cycle_and_overbooking_follows_the_measured_no_shows():
    assert planning.window_seats(lanes=4, cycle_ms=10 * MIN, window_minutes=30) == 12
    assert planning.window_seats(lanes=4, cycle_ms=8 * MIN, window_minutes=30) == 15
    assert planning.no_show_rate(no_shows=3, finished=7) == 0.0  # too few ended bookings to trust
    assert planning.no_show_rate(no_shows=10, finished=90) == 0.1
    assert planning.overbooked(12, rate=0.1, max_rate=0.15) == 13
    assert planning.overbooked(12, rate=0.5, max_rate=0.15) == 14  # capped


def test_the_earliest_window_with_room_is_offered_with_the_full_earlier_ones_for_standby():
    windows = [(0, 30 * MIN, 0), (30 * MIN, 60 * MIN, 0), (60 * MIN, 90 * MIN, 2), (90 * MIN, 120 * MIN, 5)]
    chosen, standby = planning.offer_window(windows, ready_ms=10 * MIN)
    assert chosen == windows[2] and standby == windows[:2]
    chosen, standby = planning.offer_window(windows, ready_ms=65 * MIN)
    assert chosen == windows[2] and standby == []


def test_standby_goes_first_asked_first_served_to_trucks_that_can_use_the_seat():
    def b(bid, created, ready, start, stage="booked"):
        return SimpleNamespace(
            booking_id=bid, created_at=created, standby_from_ms=ready, slot_start_ms=start, stage=stage
        )

    bookings = [
        b("late-asker", 5, 0, 120 * MIN),
        b("early-asker", 1, 0, 90 * MIN),
        b("not-ready", 0, 70 * MIN, 90 * MIN),  # cannot be there before the window ends
        b("checked-in", 0, 0, 90 * MIN, stage="checked_in"),
        b("earlier-seat", 0, 0, 0),
    ]
    picked = planning.standby_candidates(bookings, start_ms=30 * MIN, end_ms=60 * MIN)
    assert [x.booking_id for x in picked] == ["early-asker", "late-asker"]


def test_a_truck_is_asked_to_come_at_its_seat_s_share_of_the_window():
    at = planning.arrive_by(start_ms=60 * MIN, seat=3, seats=12, window_minutes=30, drive_ms=6 * MIN)
    assert at == 60 * MIN + int(3 * 2.5 * MIN) - 6 * MIN

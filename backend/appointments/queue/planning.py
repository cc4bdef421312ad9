"""Pure rules of the queue, shared by the services and the simulation (bench/queue_sim.py): measured lane
cycle, how many trucks to call ahead, the window offered for a wished time, standby order, overbooking."""

import math
import statistics

MINUTE_MS = 60_000


def lane_cycle_ms(weighings, *, default_ms, low=0.3, high=3.0):
    """Median time between one lane's successive weighings of the same kind, over all lanes.

    `weighings` are (at_ms, lane, kind) in any order; gaps outside [low, high] × default (a lane paused,
    a double read) are left out; too few gaps keep the template's default.
    """
    by_lane = {}
    for at, lane, kind in sorted(weighings):
        by_lane.setdefault((lane, kind), []).append(at)
    gaps = [
        later - earlier
        for times in by_lane.values()
        for earlier, later in zip(times, times[1:])
        if low * default_ms <= later - earlier <= high * default_ms
    ]
    return int(statistics.median(gaps)) if len(gaps) >= 3 else int(default_ms)


def lanes_free_per_ms(*, lanes, cycle_ms):
    """How often a lane frees somewhere at the mine: lanes ÷ lane cycle."""
    return lanes / cycle_ms if cycle_ms > 0 else 0.0


def calls_ahead(*, drive_ms, cycle_ms, lanes, buffer=1):
    """Trucks to have on call: the lanes that free during the drive from the lot, plus a small buffer.

    A 6-minute drive with a lane freeing every 2.5 minutes needs 3 trucks on the road, not 2.
    """
    return max(1, math.ceil(drive_ms * lanes_free_per_ms(lanes=lanes, cycle_ms=cycle_ms)) + buffer)


def to_call(*, waiting, on_call, ahead):
    """How many waiting trucks to call now, keeping `ahead` trucks on call."""
    return max(0, min(waiting, ahead - on_call))


def window_seats(*, lanes, cycle_ms, window_minutes):
    """Seats one window's lanes load at the measured cycle."""
    return max(0, math.floor(lanes * window_minutes * MINUTE_MS / cycle_ms)) if cycle_ms > 0 else 0


def no_show_rate(*, no_shows, finished, min_count=20):
    """The mine's measured share of seats left empty by no-shows; 0 until `min_count` bookings have ended
    (no overbooking on a guess)."""
    ended = no_shows + finished
    return no_shows / ended if ended >= min_count else 0.0


def overbooked(seats, *, rate, max_rate):
    """Seats sold: the lanes' seats plus the expected no-shows (rate capped at max_rate)."""
    rate = min(max(rate, 0.0), max_rate)
    return seats + math.floor(seats * rate / (1 - rate) + 0.5) if rate < 1 else seats


def offer_window(windows, *, ready_ms):
    """(the earliest window with room the truck can make, the full earlier windows it may stand by for).

    `windows` are (start_ms, end_ms, free) in any order; a window counts while it has not ended by `ready_ms`.
    """
    usable = sorted(w for w in windows if w[1] > ready_ms)
    chosen = next((w for w in usable if w[2] > 0), None)
    standby = [w for w in usable if w[2] <= 0 and (chosen is None or w[0] < chosen[0])]
    return chosen, standby


def standby_candidates(bookings, *, start_ms, end_ms):
    """Standby bookings that would take a seat in the window [start_ms, end_ms): ready before it ends,
    booked later, first asked first served. Bookings are records or anything with their attributes."""
    eligible = [
        b
        for b in bookings
        if getattr(b, "standby_from_ms", None) is not None
        and b.stage == "booked"
        and b.standby_from_ms < end_ms
        and b.slot_start_ms > start_ms
    ]
    return sorted(eligible, key=lambda b: (b.created_at, b.booking_id))


def arrive_by(*, start_ms, seat, seats, window_minutes, drive_ms):
    """When a truck with the window's `seat`-th seat (from 0) should reach the lot: its share of the window,
    a drive from the lot before it, so trucks come spread over the window instead of all at its start."""
    step = window_minutes * MINUTE_MS / max(seats, 1)
    return int(start_ms + min(seat, max(seats - 1, 0)) * step - drive_ms)

"""Pure window ids and slot and queue arithmetic, shared by the services and the queue simulation
(bench/queue_sim.py)."""

import math

from backend.common.clock import shanghai_midnight_ms

MINUTE_MS = 60_000
HOUR_MS = 3_600_000


def slot_id(mine_id, start_ms):
    """A window's id, `<mine_id>@<start ms>`: its two keys, readable in URLs and gate passes."""
    return f"{mine_id}@{start_ms}"


def parse_slot_id(value):
    """(mine_id, start_ms) of a slot id, or None if malformed."""
    mine_id, _, start = (value or "").rpartition("@")
    return (mine_id, int(start)) if mine_id and start.isdigit() else None


def windows_for_day(date_text, *, day_start_hour, day_end_hour, window_minutes):
    """(start_ms, end_ms) of each window of a Shanghai calendar day."""
    midnight = shanghai_midnight_ms(date_text)
    step = window_minutes * MINUTE_MS
    start, stop = midnight + day_start_hour * HOUR_MS, midnight + day_end_hour * HOUR_MS
    return [(t, t + step) for t in range(start, stop, step)]


def plan_factor(*, plan_kg, avg_load_kg, lanes, trucks_per_lane_hour, open_hours):
    """Share of the lanes' capacity the day's production plan can fill (1 when no plan is set)."""
    lane_trucks = lanes * trucks_per_lane_hour * open_hours
    if not plan_kg or not avg_load_kg or not lane_trucks:
        return 1.0
    return min(1.0, plan_kg / avg_load_kg / lane_trucks)


def window_capacity(*, lanes, trucks_per_lane_hour, window_minutes, factor=1.0):
    """Seats in one window: the trucks the lanes load in it, scaled by the plan."""
    return max(0, math.floor(lanes * trucks_per_lane_hour * window_minutes / 60 * factor))


def queue_order(entries):
    """The virtual queue: by window start, then by the time the truck joined (check-in or requeue)."""
    return sorted(entries, key=lambda e: (e["slot_start_ms"], e["queue_at"] or 0, e["booking_id"]))


def predict_call_ms(*, ahead, rate_per_hour, now_ms, slot_start_ms, lead_ms):
    """When a waiting truck with `ahead` trucks before it should expect the call (rounded to a minute)."""
    if rate_per_hour <= 0:
        return None
    by_queue = now_ms + int(ahead * HOUR_MS / rate_per_hour)
    predicted = max(by_queue, slot_start_ms - lead_ms)
    return predicted - predicted % MINUTE_MS


def eta_ms(*, distance_m, now_ms, speed_kmh, road_factor):
    """Arrival estimate from straight-line distance, a road detour factor and an average speed."""
    return now_ms + int(distance_m * road_factor / (speed_kmh * 1000 / HOUR_MS))


def suggest_windows(slots, *, eta, now_ms, early_ms, count=3):
    """(window, arrives early) for the first windows with free seats that the truck can still reach.

    It may wait up to early_ms at the gate; windows are records (or anything with their attributes).
    """
    reachable = [
        s for s in slots if s.start_ms > now_ms and s.end_ms > eta and s.status == "open" and s.capacity > s.booked
    ]
    reachable.sort(key=lambda s: s.start_ms)
    return [(s, s.start_ms - eta > early_ms) for s in reachable[:count]]

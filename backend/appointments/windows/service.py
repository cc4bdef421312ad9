"""Windows: opened ahead from each mine's template, listed and suggested to drivers, their capacity set by the mine.

The Slot table is this sub-package's: booking takes and gives back seats, checkin and queue move the
window's queue counters, all through the steps below.
"""

from dataclasses import replace

from backend.appointments.common import drivers_waybill, require_mine
from backend.appointments.log import service as log
from backend.appointments.queue import planning as queue_planning
from backend.appointments.settings import rules
from backend.appointments.windows import store
from backend.appointments.windows.models import Slot
from backend.appointments.windows.planning import (
    HOUR_MS,
    MINUTE_MS,
    eta_ms,
    parse_slot_id,
    plan_factor,
    suggest_windows,
    window_capacity,
    windows_for_day,
)
from backend.catalogue import service as catalogue_service
from backend.common.clock import shanghai_date, shanghai_midnight_ms
from backend.common.errors import Conflict, NotFound, field_error
from backend.common.geo import haversine_m
from backend.common.schemas import Joined

DAY_MS = 86_400_000


def template_capacity(mine, products, r):
    """Seats per window for a mine: lanes × trucks per lane-hour × window, scaled by the production plan."""
    factor = plan_factor(
        plan_kg=sum(p.plan_kg for p in products),
        avg_load_kg=mine.avg_truck_load_kg,
        lanes=mine.loading_lanes,
        trucks_per_lane_hour=mine.trucks_per_lane_hour,
        open_hours=r.day_end_hour - r.day_start_hour,
    )
    return window_capacity(
        lanes=mine.loading_lanes,
        trucks_per_lane_hour=mine.trucks_per_lane_hour,
        window_minutes=r.window_minutes,
        factor=factor,
    )


def open_mine_days(mine, *, now_ms, days):
    """Create the mine's missing windows for today and the next days; existing ones are left alone."""
    r = replace(rules(), **catalogue_service.slot_template(mine))  # the site's own template over the settings
    lane_capacity = template_capacity(mine, catalogue_service.list_products(mine.mine_id), r)
    capacity = queue_planning.overbooked(lane_capacity, rate=measured(mine)["no_show_rate"], max_rate=r.overbook_max)
    opened = 0
    for offset in range(days):
        date = shanghai_date(now_ms + offset * DAY_MS)
        # After a template change the windows already opened stay; a new one never overlaps them.
        taken = store.slots_between(mine.mine_id, shanghai_midnight_ms(date), shanghai_midnight_ms(date) + DAY_MS)
        for start, end in windows_for_day(
            date, day_start_hour=r.day_start_hour, day_end_hour=r.day_end_hour, window_minutes=r.window_minutes
        ):
            if any(s.start_ms < end and start < s.end_ms for s in taken):
                continue
            slot = Slot(
                mine.mine_id,
                start,
                end_ms=end,
                date=date,
                capacity=capacity,
                lane_capacity=lane_capacity,
                booked=0,
                status="open",
                created_at=now_ms,
                updated_at=now_ms,
            )
            opened += store.put_slot_if_absent(slot)
    return opened


def open_slots(*, now_ms, days=None, mine_ids=None):
    """The scheduled job: open windows N days ahead at every mine (idempotent)."""
    days = days or rules().days_ahead
    mines = [m for m in catalogue_service.list_mines() if not mine_ids or m.mine_id in mine_ids]
    return {"opened": sum(open_mine_days(m, now_ms=now_ms, days=days) for m in mines)}


def slot_keys(slot_id, field="slot_id"):
    """(mine_id, start_ms) of a window id, or a 400 naming the field."""
    keys = parse_slot_id(slot_id)
    if keys is None:
        raise field_error(field, "not a window id (expected <mine_id>@<start ms>)")
    return keys


def get_slot(slot_id, field="slot_id"):
    mine_id, start = slot_keys(slot_id, field)
    slot = store.get_slot(mine_id, start)
    if slot is None:
        raise NotFound("slot_not_found", "no such window")
    return slot


def list_slots(*, mine_id, date, now_ms):
    """A mine's windows on a date."""
    catalogue_service.get_mine(mine_id)
    try:
        start = shanghai_midnight_ms(date) if date else shanghai_midnight_ms(shanghai_date(now_ms))
    except ValueError:
        raise field_error("date", "expected YYYY-MM-DD") from None
    return store.slots_between(mine_id, start, start + DAY_MS)


def day_windows(mine_id, date):
    """A mine's windows on a date, no catalogue check (the analytics backfill recounts mines it already names)."""
    start = shanghai_midnight_ms(date)
    return store.slots_between(mine_id, start, start + DAY_MS)


def suggestions(*, principal, waybill_id, lon, lat, now_ms, count=3):
    """Windows the driver can reach, from the distance to the mine and an average speed."""
    waybill = drivers_waybill(principal, waybill_id)
    mine = catalogue_service.get_mine(waybill.mine_id)
    gate_lon, gate_lat = mine.location["coordinates"]
    r = rules()
    distance = haversine_m([lon, lat], [gate_lon, gate_lat])
    eta = eta_ms(distance_m=distance, now_ms=now_ms, speed_kmh=r.avg_speed_kmh, road_factor=r.road_factor)
    slots = store.slots_between(waybill.mine_id, now_ms, now_ms + (r.days_ahead + 1) * DAY_MS)
    picked = suggest_windows(slots, eta=eta, now_ms=now_ms, early_ms=r.early_minutes * MINUTE_MS, count=count)
    return {
        "distance_m": int(distance),
        "eta_ms": eta,
        "items": [Joined(slot, arrives_early=early) for slot, early in picked],
    }


def offer(*, principal, waybill_id, now_ms, ready_at_ms=None, lon=None, lat=None):
    """The earliest window with room from when the truck can be at the mine (given, or the ETA from where it is),
    and the full earlier windows it may stand by for."""
    waybill = drivers_waybill(principal, waybill_id)
    r = rules()
    if ready_at_ms is None and lon is not None and lat is not None:
        gate_lon, gate_lat = catalogue_service.get_mine(waybill.mine_id).location["coordinates"]
        distance = haversine_m([lon, lat], [gate_lon, gate_lat])
        ready_at_ms = eta_ms(distance_m=distance, now_ms=now_ms, speed_kmh=r.avg_speed_kmh, road_factor=r.road_factor)
    ready = max(ready_at_ms or now_ms, now_ms)
    slots = [
        s
        for s in store.slots_between(waybill.mine_id, now_ms, now_ms + (r.days_ahead + 1) * DAY_MS)
        if s.status == "open" and s.start_ms > now_ms
    ]
    by_start = {s.start_ms: s for s in slots}
    chosen, standby = queue_planning.offer_window(
        [(s.start_ms, s.end_ms, s.capacity - s.booked) for s in slots], ready_ms=ready
    )
    return {
        "ready_at_ms": ready,
        "window": by_start[chosen[0]] if chosen else None,
        "standby": [by_start[w[0]] for w in standby],
    }


def set_capacity(*, principal, slot_id, capacity, now_ms, reason=None):
    """Raise or lower a window's seats; never below what is booked."""
    slot = get_slot(slot_id)
    require_mine(principal, slot.mine_id)
    if capacity < 0:
        raise field_error("capacity", "must be 0 or more")
    # A window the mine sized by hand keeps its size: the measured cycle no longer adapts it (lane_capacity gone).
    if not store.set_capacity(slot.mine_id, slot.start_ms, capacity=capacity, now_ms=now_ms):
        fresh = store.get_slot(slot.mine_id, slot.start_ms)
        raise Conflict(
            "below_booked",
            f"{fresh.booked} seats are booked; capacity cannot go below that",
            details={"booked": fresh.booked, "fields": {"capacity": [f"at least {fresh.booked}"]}},
        )
    log.record(
        mine_id=slot.mine_id,
        action="capacity",
        actor=principal,
        at=now_ms,
        slot=slot_id,
        reason=reason,
        detail={"from": slot.capacity, "to": capacity},
    )
    return store.get_slot(slot.mine_id, slot.start_ms)


# -- reads and steps the other sub-packages use (only this one names the Slot table) ---------------

read = store.slot_read  # one window as a batch read (backend.common.batch)
close = store.close_slot
take_seat_step = store.seat_take_op
release_seat_step = store.seat_release_op


def known_full(mine_id, start_ms):
    """A read or a failed seat showed this window full within REFUSAL_MEMORY_MS (common/recent_refusals.py)."""
    return store.FULL.known((mine_id, start_ms))


def note_full(mine_id, start_ms):
    store.FULL.note((mine_id, start_ms))


count_step = store.queue_count_op  # +1 to a window's queue counters (a call, a departure, a called truck done)
queue_counters = store.queue_windows


def join_step(booking, counts=()):
    """(queue place, transaction step taking it): the window's next place, read once (a busy 409 re-reads)."""
    slot = store.get_slot(booking.mine_id, booking.slot_start_ms)
    seen = (slot.q_joined or 0) if slot else 0
    return seen + 1, store.queue_join_op(booking.mine_id, booking.slot_start_ms, seen=seen, counts=counts)


# -- the mine's measured figures: lot count, lane cycle, drive from the lot, no-show rate ------------------

stats = store.get_stats
lot_join_step = store.lot_join_op  # check-in: one more truck in the lot, never above the bound
stats_step = store.stats_add_op  # a truck left the lot (in_lot=-1), reached the gate (finished, drive), ...


def measured(mine, record=None):
    """The mine's measured lane cycle, drive from the lot and no-show rate (template figures until measured)."""
    record = record if record is not None else store.get_stats(mine.mine_id)
    template_cycle = HOUR_MS / max(mine.trucks_per_lane_hour, 1)
    drive_n = int(record.drive_n or 0) if record else 0
    drive = record.drive_ms_total / drive_n if drive_n >= 3 else mine.parking_drive_minutes * MINUTE_MS
    rate = queue_planning.no_show_rate(
        no_shows=max(int(record.no_shows or 0) - int(record.refills or 0), 0) if record else 0,
        finished=int(record.finished or 0) if record else 0,
    )
    return {
        "cycle_ms": int(record.cycle_ms) if record and record.cycle_ms else int(template_cycle),
        "drive_ms": int(drive),
        "no_show_rate": rate,
        "in_lot": max(int(record.in_lot or 0), 0) if record else 0,
    }


def adapt_seats(mine, *, now_ms, weighings=()):
    """Seats of today's windows still to start follow the lanes' measured cycle (gate weighings) and the
    measured no-show rate; windows sized by hand and seats already booked are left alone. The windows
    that gained seats, for standby trucks."""
    template_cycle = HOUR_MS / max(mine.trucks_per_lane_hour, 1)
    cycle = queue_planning.lane_cycle_ms(weighings, default_ms=template_cycle)
    if weighings:
        store.set_cycle(mine.mine_id, cycle)
    figures = measured(mine)
    r = replace(rules(), **catalogue_service.slot_template(mine))
    per_lane_hour = HOUR_MS / cycle
    factor = plan_factor(  # the production plan still shares out the lanes, now at their measured pace
        plan_kg=sum(p.plan_kg for p in catalogue_service.list_products(mine.mine_id)),
        avg_load_kg=mine.avg_truck_load_kg,
        lanes=mine.loading_lanes,
        trucks_per_lane_hour=per_lane_hour,
        open_hours=r.day_end_hour - r.day_start_hour,
    )
    gained = []
    day_start = shanghai_midnight_ms(shanghai_date(now_ms))
    for slot in store.slots_between(mine.mine_id, max(now_ms + 1, day_start), day_start + DAY_MS):
        if slot.lane_capacity is None or slot.status != "open":
            continue
        seats = window_capacity(
            lanes=mine.loading_lanes,
            trucks_per_lane_hour=per_lane_hour,
            window_minutes=(slot.end_ms - slot.start_ms) // MINUTE_MS,
            factor=factor,
        )
        sold = queue_planning.overbooked(seats, rate=figures["no_show_rate"], max_rate=r.overbook_max)
        if (seats, sold) == (slot.lane_capacity, slot.capacity) or sold < slot.booked:
            continue
        if store.set_seats(mine.mine_id, slot.start_ms, lane_capacity=seats, capacity=sold, now_ms=now_ms):
            if sold > slot.capacity:
                gained.append(slot)
    return gained


def offer_seat(slot, *, now_ms):
    """One more seat in a started window for an absent truck's place, never beyond the overbooking cap."""
    lanes = slot.lane_capacity if slot.lane_capacity is not None else slot.capacity
    ceiling = lanes + max(1, int(lanes * rules().overbook_max + 0.5))
    return store.raise_capacity(slot.mine_id, slot.start_ms, by=1, ceiling=ceiling, now_ms=now_ms)

"""Windows: opened ahead from each mine's template, listed and suggested to drivers, their capacity set by the mine.

The Slot table is this sub-package's: booking takes and gives back seats, checkin and queue move the
window's queue counters, all through the steps below.
"""

from dataclasses import replace

from backend.appointments.common import drivers_waybill, require_mine
from backend.appointments.log import service as log
from backend.appointments.settings import rules
from backend.appointments.windows import store
from backend.appointments.windows.models import Slot
from backend.appointments.windows.planning import (
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
    capacity = template_capacity(mine, catalogue_service.list_products(mine.mine_id), r)
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


def set_capacity(*, principal, slot_id, capacity, now_ms, reason=None):
    """Raise or lower a window's seats; never below what is booked."""
    slot = get_slot(slot_id)
    require_mine(principal, slot.mine_id)
    if capacity < 0:
        raise field_error("capacity", "must be 0 or more")
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
count_step = store.queue_count_op  # +1 to a window's queue counters (a call, a departure, a called truck done)
queue_counters = store.queue_windows


def join_step(booking, counts=()):
    """(queue place, transaction step taking it): the window's next place, read once (a busy 409 re-reads)."""
    slot = store.get_slot(booking.mine_id, booking.slot_start_ms)
    seen = (slot.q_joined or 0) if slot else 0
    return seen + 1, store.queue_join_op(booking.mine_id, booking.slot_start_ms, seen=seen, counts=counts)

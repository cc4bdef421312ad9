"""Opening windows ahead from each mine's template, and the mine's capacity controls."""
from backend.appointments import push, store
from backend.appointments.common import get_slot, require_mine, retry_busy
from backend.appointments.models import Slot
from backend.appointments.planning import plan_factor, window_capacity, windows_for_day
from backend.appointments.settings import rules
from backend.catalogue import store as catalogue_store
from backend.common.clock import shanghai_date
from backend.common.errors import Conflict, field_error
from backend.waybills import service as waybills

DAY_MS = 86_400_000


def template_capacity(mine, products, r):
    """Seats per window for a mine: lanes × trucks per lane-hour × window, scaled by the production plan."""
    factor = plan_factor(plan_kg=sum(p.plan_kg for p in products), avg_load_kg=mine.avg_truck_load_kg,
                         lanes=mine.loading_lanes, trucks_per_lane_hour=mine.trucks_per_lane_hour,
                         open_hours=r.day_end_hour - r.day_start_hour)
    return window_capacity(lanes=mine.loading_lanes, trucks_per_lane_hour=mine.trucks_per_lane_hour,
                           window_minutes=r.window_minutes, factor=factor)


def open_mine_days(mine, *, now_ms, days):
    """Create the mine's missing windows for today and the next days; existing ones are left alone."""
    r = rules()
    capacity = template_capacity(mine, catalogue_store.list_products(mine.mine_id), r)
    opened = 0
    for offset in range(days):
        date = shanghai_date(now_ms + offset * DAY_MS)
        for start, end in windows_for_day(date, day_start_hour=r.day_start_hour, day_end_hour=r.day_end_hour,
                                          window_minutes=r.window_minutes):
            slot = Slot(mine.mine_id, start, end_ms=end, date=date, capacity=capacity, booked=0, status="open",
                        created_at=now_ms, updated_at=now_ms)
            opened += store.put_slot_if_absent(slot)
    return opened


def open_slots(*, now_ms, days=None, mine_ids=None):
    """The scheduled job: open windows N days ahead at every mine (idempotent)."""
    days = days or rules().days_ahead
    mines = catalogue_store.list_mines()
    opened = sum(open_mine_days(m, now_ms=now_ms, days=days) for m in mines if not mine_ids or m.mine_id in mine_ids)
    return {"opened": opened}


def set_capacity(*, principal, slot_id, capacity, now_ms, reason=None):
    """Raise or lower a window's seats; never below what is booked."""
    slot = get_slot(slot_id)
    require_mine(principal, slot.mine_id)
    if capacity < 0:
        raise field_error("capacity", "must be 0 or more")
    if not store.set_capacity(slot.mine_id, slot.start_ms, capacity=capacity, now_ms=now_ms):
        fresh = store.get_slot(slot.mine_id, slot.start_ms)
        raise Conflict("below_booked", f"{fresh.booked} seats are booked; capacity cannot go below that",
                       details={"booked": fresh.booked, "fields": {"capacity": [f"at least {fresh.booked}"]}})
    store.record_event(mine_id=slot.mine_id, action="capacity", actor=principal, at=now_ms, slot=slot_id, reason=reason,
                       detail={"from": slot.capacity, "to": capacity})
    return store.get_slot(slot.mine_id, slot.start_ms)


def close_window(*, principal, slot_id, reason, now_ms):
    """Close a window: no new bookings, its trucks' bookings released and their drivers told."""
    slot = get_slot(slot_id)
    require_mine(principal, slot.mine_id)
    if not store.close_slot(slot.mine_id, slot.start_ms, reason=reason, now_ms=now_ms):
        raise Conflict("slot_closed", "this window is already closed")
    released = 0
    for booking in store.mine_active(slot.mine_id):
        if booking.slot_start_ms == slot.start_ms and booking.stage in ("booked", "checked_in"):
            released += _release(booking, principal=principal, reason=reason, now_ms=now_ms)
    store.record_event(mine_id=slot.mine_id, action="close_window", actor=principal, at=now_ms, slot=slot_id,
                       reason=reason, detail={"released": released})
    return {"slot": store.get_slot(slot.mine_id, slot.start_ms), "released": released}


def _release(booking, *, principal, reason, now_ms):
    ops = [store.seat_release_op(booking.mine_id, booking.slot_start_ms, now_ms),
           store.booking_update_op(booking.booking_id, store.ended_changes("closed", reason, now_ms))]
    try:
        retry_busy(lambda: waybills.transition(waybill_id=booking.waybill_id, action="release_booking", actor=principal,
                                               now_ms=now_ms, reason=reason, changes={"booking_id": None, "slot_id": None},
                                               extra_ops=ops))
    except Conflict:
        return 0  # it moved on meanwhile (called, entered, cancelled): nothing to release
    push.notify(booking.driver_id, {"type": "window_closed", "booking_id": booking.booking_id, "reason": reason})
    return 1

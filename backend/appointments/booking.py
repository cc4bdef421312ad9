"""Booking a window for an assigned waybill: book, move, cancel — each one TransactWrite with the seat counters."""
from backend.accounts import service as accounts_service
from backend.appointments import store
from backend.appointments.common import get_slot, own_booking, retry_busy, slot_keys
from backend.appointments.models import Booking
from backend.appointments.planning import MINUTE_MS, eta_ms, suggest_windows
from backend.appointments.settings import rules
from backend.catalogue import service as catalogue_service
from backend.common import batch
from backend.common.clock import shanghai_date
from backend.common.errors import Conflict, NotFound, field_error
from backend.common.geo import haversine_m
from backend.common.ids import new_id
from backend.waybills import service as waybills


def _check_bookable(slot, now_ms):
    """Clear errors before the transaction (the transaction's condition still decides races)."""
    if slot.status != "open":
        raise Conflict("slot_closed", "this window is closed", details={"reason": slot.close_reason})
    if slot.start_ms <= now_ms:
        raise Conflict("slot_started", "this window has already started; pick a later one")
    if slot.booked >= slot.capacity:
        raise Conflict("slot_full", "no free seat in this window")


def _drivers_waybill(principal, waybill_id, waybill=None):
    waybill = waybill if waybill is not None else waybills.get(waybill_id)
    if waybill.driver_id != principal.user_id:
        raise NotFound("waybill_not_found", "waybill not found")
    return waybill


def _waybill_and_slot(principal, waybill_id, slot_id):
    """The driver's waybill and the wanted window, read in one round trip."""
    mine_id, start_ms = slot_keys(slot_id)
    waybill, slot = batch.get_many(waybills.read(waybill_id), store.slot_read(mine_id, start_ms))
    waybill = _drivers_waybill(principal, waybill_id, waybills.found(waybill))
    if slot is None:
        raise NotFound("slot_not_found", "no such window")
    return waybill, slot


def _same_driver(driver_id):
    def guard(waybill):
        if waybill.driver_id != driver_id:
            raise Conflict("waybill_reassigned", "the waybill now belongs to another driver")
    return guard


def _plate(waybill):
    if waybill.plate:
        return waybill.plate
    vehicle = accounts_service.find_vehicle(waybill.vehicle_id) if waybill.vehicle_id else None
    return vehicle.plate if vehicle else None


def _quota_steps(waybill, slot_date, now_ms):
    """Under-quota loads count against the shipper's trucks on the loading day: move the truck if the day differs."""
    if not waybill.quota_date or waybill.quota_date == slot_date:
        return [], {}
    from backend.dispatch import quotas, service as dispatch  # the dispatch domain owns the quota counters
    steps = [quotas.release_quota_op(waybill.shipper_id, waybill.mine_id, waybill.quota_date),
             dispatch.quota_step(shipper_id=waybill.shipper_id, mine_id=waybill.mine_id, date=slot_date,
                                 now_ms=now_ms)]
    return steps, {"quota_date": slot_date}


def _new_booking(waybill, slot, now_ms):
    return Booking(new_id("bk"), waybill_id=waybill.waybill_id, driver_id=waybill.driver_id,
                   vehicle_id=waybill.vehicle_id, plate=_plate(waybill), mine_id=slot.mine_id,
                   slot_id=store.slot_id(slot.mine_id, slot.start_ms), slot_start_ms=slot.start_ms,
                   slot_end_ms=slot.end_ms, status="active", stage="booked", queue_mine_id=slot.mine_id,
                   active_vehicle_id=waybill.vehicle_id, requeues=0, created_at=now_ms, updated_at=now_ms)


def book(*, principal, waybill_id, slot_id, now_ms):
    """Take a seat for the driver's assigned waybill at its mine (never oversold).

    Two round trips: the waybill and the window in one batch, then one transaction (the seat,
    the booking, the waybill's move, the quota truck if the day changes, the Idempotency-Key).
    """
    waybill, slot = _waybill_and_slot(principal, waybill_id, slot_id)
    if waybill.state != "assigned":
        raise waybills.illegal("book", waybill.state)
    if not waybill.vehicle_id:
        raise Conflict("no_vehicle", "the waybill has no vehicle yet")
    if slot.mine_id != waybill.mine_id:
        raise field_error("slot_id", "this window is at another mine than the waybill's")
    _check_bookable(slot, now_ms)
    booking = _new_booking(waybill, slot, now_ms)
    quota_steps, quota_change = _quota_steps(waybill, slot.date, now_ms)
    changes = {"booking_id": booking.booking_id, "slot_id": booking.slot_id, **quota_change}
    ops = [store.seat_take_op(slot.mine_id, slot.start_ms, now_ms), store.booking_put_op(booking)] + quota_steps
    retry_busy(lambda: waybills.transition(waybill_id=waybill_id, action="book", actor=principal, now_ms=now_ms,
                                           changes=changes, extra_ops=ops, guard=_same_driver(principal.user_id),
                                           waybill=waybill, reply=lambda _waybill: booking))
    return booking


def move(*, principal, booking_id, slot_id, now_ms):
    """Swap to another window: the old seat is released and the new one taken in the same transaction."""
    old = own_booking(principal, booking_id)
    slot = get_slot(slot_id)
    if slot.mine_id != old.mine_id:
        raise field_error("slot_id", "a booking moves only to another window at the same mine")
    if slot.start_ms == old.slot_start_ms:
        raise field_error("slot_id", "that is already the booked window")
    _check_bookable(slot, now_ms)
    waybill = waybills.get(old.waybill_id)
    new = _new_booking(waybill, slot, now_ms)
    quota_steps, quota_change = _quota_steps(waybill, slot.date, now_ms)
    changes = {"booking_id": new.booking_id, "slot_id": new.slot_id, **quota_change}
    ops = [store.seat_release_op(old.mine_id, old.slot_start_ms, now_ms),
           store.seat_take_op(slot.mine_id, slot.start_ms, now_ms),
           store.booking_update_op(old.booking_id, store.ended_changes("moved", f"moved to {new.slot_id}", now_ms),
                                   stage="booked"),
           store.booking_put_op(new)] + quota_steps
    retry_busy(lambda: waybills.transition(waybill_id=old.waybill_id, action="move_booking", actor=principal,
                                           now_ms=now_ms, changes=changes, extra_ops=ops,
                                           guard=_current_booking(old.booking_id), waybill=waybill,
                                           reply=lambda _waybill: new))
    return new


def _current_booking(booking_id):
    def guard(waybill):
        if waybill.booking_id != booking_id:
            raise Conflict("booking_changed", "the booking changed meanwhile; reload and try again")
    return guard


def cancel(*, principal, booking_id, now_ms, reason=None):
    """Give the seat back; the waybill returns to assigned."""
    booking = own_booking(principal, booking_id)
    ops = [store.seat_release_op(booking.mine_id, booking.slot_start_ms, now_ms),
           store.booking_update_op(booking.booking_id, store.ended_changes("cancelled", reason or "cancelled by driver",
                                                                           now_ms), stage="booked")]
    retry_busy(lambda: waybills.transition(waybill_id=booking.waybill_id, action="cancel_booking", actor=principal,
                                           now_ms=now_ms, reason=reason, changes={"booking_id": None, "slot_id": None},
                                           extra_ops=ops, guard=_current_booking(booking.booking_id)))
    return store.get_booking(booking_id)


def suggestions(*, principal, waybill_id, lon, lat, now_ms, count=3):
    """Windows the driver can reach, from the distance to the mine and an average speed."""
    from backend.appointments.common import slot_view
    waybill = _drivers_waybill(principal, waybill_id)
    mine = catalogue_service.get_mine(waybill.mine_id)
    gate_lon, gate_lat = mine.location["coordinates"]
    r = rules()
    distance = haversine_m([lon, lat], [gate_lon, gate_lat])
    eta = eta_ms(distance_m=distance, now_ms=now_ms, speed_kmh=r.avg_speed_kmh, road_factor=r.road_factor)
    slots = [slot_view(s) for s in store.slots_between(waybill.mine_id, now_ms, now_ms + (r.days_ahead + 1) * 86_400_000)]
    return {"distance_m": int(distance), "eta_ms": eta,
            "items": suggest_windows(slots, eta=eta, now_ms=now_ms, early_ms=r.early_minutes * MINUTE_MS, count=count)}


def list_slots(*, mine_id, date, now_ms):
    """A mine's windows on a date."""
    from backend.common.clock import shanghai_midnight_ms
    catalogue_service.get_mine(mine_id)
    try:
        start = shanghai_midnight_ms(date) if date else shanghai_midnight_ms(shanghai_date(now_ms))
    except ValueError:
        raise field_error("date", "expected YYYY-MM-DD") from None
    return store.slots_between(mine_id, start, start + 86_400_000)




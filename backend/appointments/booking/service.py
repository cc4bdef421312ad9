"""Booking a window for an assigned waybill: book, move, cancel — each one TransactWrite with the seat counters.

The Booking table is this sub-package's: checkin, queue and gate pass read bookings and change their
stage through the reads and steps at the end.
"""

from types import SimpleNamespace

from backend.accounts import service as accounts_service
from backend.appointments.booking import store
from backend.appointments.booking.models import Booking
from backend.appointments.common import drivers_waybill, require_mine, retry_busy
from backend.appointments.log import service as log
from backend.appointments.queue.planning import standby_candidates
from backend.appointments.windows import service as windows
from backend.appointments.windows.planning import slot_id as window_id
from backend.common import batch
from backend.common.errors import ApiError, Conflict, NotFound, field_error
from backend.common.ids import new_id
from backend.notifications import service as notifications
from backend.waybills import service as waybills


def _full():
    return Conflict("slot_full", "no free seat in this window")


def _check_bookable(slot, now_ms):
    """Clear errors before the transaction (the transaction's condition still decides races)."""
    if slot.status != "open":
        raise Conflict("slot_closed", "this window is closed", details={"reason": slot.close_reason})
    if slot.start_ms <= now_ms:
        raise Conflict("slot_started", "this window has already started; pick a later one")
    if slot.booked >= slot.capacity:
        windows.note_full(slot.mine_id, slot.start_ms)
        raise _full()


def _waybill_and_slot(principal, waybill_id, slot_id, keys=None):
    """The driver's waybill and the wanted window, read in one round trip (`keys`: the slot id's, if parsed)."""
    mine_id, start_ms = keys or windows.slot_keys(slot_id)
    waybill, slot = batch.get_many(waybills.read(waybill_id), windows.read(mine_id, start_ms))
    waybill = drivers_waybill(principal, waybill_id, waybills.found(waybill))
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
    from backend.dispatch import service as dispatch  # the dispatch domain owns the quota counters

    steps = [
        dispatch.quota_release_step(waybill),
        dispatch.quota_step(shipper_id=waybill.shipper_id, mine_id=waybill.mine_id, date=slot_date, now_ms=now_ms),
    ]
    return steps, {"quota_date": slot_date}


def _new_booking(waybill, slot, now_ms, standby_from_ms=None):
    standby = standby_from_ms if standby_from_ms is not None and standby_from_ms < slot.start_ms else None
    return Booking(
        new_id("bk"),
        waybill_id=waybill.waybill_id,
        driver_id=waybill.driver_id,
        vehicle_id=waybill.vehicle_id,
        plate=_plate(waybill),
        mine_id=slot.mine_id,
        slot_id=window_id(slot.mine_id, slot.start_ms),
        slot_start_ms=slot.start_ms,
        slot_end_ms=slot.end_ms,
        status="active",
        stage="booked",
        queue_mine_id=slot.mine_id,
        active_vehicle_id=waybill.vehicle_id,
        requeues=0,
        seat=slot.booked,
        seats=slot.capacity,
        standby_from_ms=standby,
        created_at=now_ms,
        updated_at=now_ms,
    )


def _log_step(action, booking, principal, now_ms, **more):
    """The booking's queue-log entry, written pending by its own transaction (sealed into the chain next)."""
    return log.pending_step(mine_id=booking.mine_id, action=action, actor=principal, at=now_ms, booking=booking, **more)


def book(*, principal, waybill_id, slot_id, now_ms, standby_from_ms=None):
    """Take a seat for the driver's assigned waybill at its mine (never oversold); with `standby_from_ms`
    (when the truck can be at the mine) it also stands by for a seat in an earlier window.

    Two round trips: the waybill and the window in one batch, then one transaction (the seat, the booking,
    the waybill's move, the quota truck if the day changes, the pending queue-log entry, the Idempotency-Key).
    """
    mine_id, start_ms = windows.slot_keys(slot_id)
    if windows.known_full(mine_id, start_ms):
        # The stampede when a window opens: refused for the cost of the key's record alone (a replay of a
        # booking that took the last seat still gets its 201 from it: common/idempotency.py).
        raise _full()
    waybill, slot = _waybill_and_slot(principal, waybill_id, slot_id, keys=(mine_id, start_ms))
    if waybill.state != "assigned":
        raise waybills.illegal("book", waybill.state)
    if not waybill.vehicle_id:
        raise Conflict("no_vehicle", "the waybill has no vehicle yet")
    if slot.mine_id != waybill.mine_id:
        raise field_error("slot_id", "this window is at another mine than the waybill's")
    _check_bookable(slot, now_ms)
    booking = _new_booking(waybill, slot, now_ms, standby_from_ms)
    quota_steps, quota_change = _quota_steps(waybill, slot.date, now_ms)
    changes = {"booking_id": booking.booking_id, "slot_id": booking.slot_id, **quota_change}
    detail = {"standby_from_ms": booking.standby_from_ms} if booking.standby_from_ms else None
    ops = [
        windows.take_seat_step(slot.mine_id, slot.start_ms, now_ms),
        store.booking_put_op(booking),
        _log_step("book", booking, principal, now_ms, detail=detail),
    ] + quota_steps
    try:
        _commit_booking(principal, waybill, booking, changes, ops, now_ms)
    except Conflict as refusal:
        if refusal.code == "slot_full":  # another driver took the last seat between our read and write
            windows.note_full(slot.mine_id, slot.start_ms)
        raise
    if slot.booked + 1 >= slot.capacity:  # this booking took the last seat: the drivers behind it need not read
        windows.note_full(slot.mine_id, slot.start_ms)
    return booking


def _commit_booking(principal, waybill, booking, changes, ops, now_ms):
    waybill_id = waybill.waybill_id
    retry_busy(
        lambda: waybills.transition(
            waybill_id=waybill_id,
            action="book",
            actor=principal,
            now_ms=now_ms,
            changes=changes,
            extra_ops=ops,
            guard=_same_driver(principal.user_id),
            waybill=waybill,
            reply=lambda _waybill: booking,
        )
    )
    return booking


def move(*, principal, booking_id, slot_id, now_ms):
    """Swap to another window: the old seat is released and the new one taken in the same transaction."""
    old = own(principal, booking_id)
    waybill, slot = _waybill_and_slot(principal, old.waybill_id, slot_id)  # one round trip for both
    if slot.mine_id != old.mine_id:
        raise field_error("slot_id", "a booking moves only to another window at the same mine")
    if slot.start_ms == old.slot_start_ms:
        raise field_error("slot_id", "that is already the booked window")
    _check_bookable(slot, now_ms)
    new = _new_booking(waybill, slot, now_ms)
    quota_steps, quota_change = _quota_steps(waybill, slot.date, now_ms)
    changes = {"booking_id": new.booking_id, "slot_id": new.slot_id, **quota_change}
    ops = [
        windows.release_seat_step(old.mine_id, old.slot_start_ms, now_ms),
        windows.take_seat_step(slot.mine_id, slot.start_ms, now_ms),
        end_step(old.booking_id, "moved", f"moved to {new.slot_id}", now_ms, stage="booked"),
        store.booking_put_op(new),
        _log_step("move", new, principal, now_ms, detail={"from": old.slot_id}),
    ] + quota_steps
    retry_busy(
        lambda: waybills.transition(
            waybill_id=old.waybill_id,
            action="move_booking",
            actor=principal,
            now_ms=now_ms,
            changes=changes,
            extra_ops=ops,
            guard=_current_booking(old.booking_id),
            waybill=waybill,
            reply=lambda _waybill: new,
        )
    )
    return new


def _current_booking(booking_id):
    def guard(waybill):
        if waybill.booking_id != booking_id:
            raise Conflict("booking_changed", "the booking changed meanwhile; reload and try again")

    return guard


def cancel(*, principal, booking_id, now_ms, reason=None):
    """Give the seat back; the waybill returns to assigned."""
    booking = own(principal, booking_id)
    ops = [
        windows.release_seat_step(booking.mine_id, booking.slot_start_ms, now_ms),
        end_step(booking.booking_id, "cancelled", reason or "cancelled by driver", now_ms, stage="booked"),
        log.step_reading(
            mine_id=booking.mine_id, action="cancel", actor=principal, at=now_ms, booking=booking, reason=reason
        ),
    ]
    retry_busy(
        lambda: waybills.transition(
            waybill_id=booking.waybill_id,
            action="cancel_booking",
            actor=principal,
            now_ms=now_ms,
            reason=reason,
            changes={"booking_id": None, "slot_id": None},
            extra_ops=ops,
            guard=_current_booking(booking.booking_id),
        )
    )
    return store.get_booking(booking_id)


def close_window(*, principal, slot_id, reason, now_ms):
    """Close a window: no new bookings, its trucks' bookings released and their drivers told."""
    slot = windows.get_slot(slot_id)
    require_mine(principal, slot.mine_id)
    if not windows.close(slot.mine_id, slot.start_ms, reason=reason, now_ms=now_ms):
        raise Conflict("slot_closed", "this window is already closed")
    released = 0
    for booking in store.mine_active(slot.mine_id):
        if booking.slot_start_ms == slot.start_ms and booking.stage in ("booked", "checked_in"):
            released += _release(booking, principal=principal, reason=reason, now_ms=now_ms)
    log.record(
        mine_id=slot.mine_id,
        action="close_window",
        actor=principal,
        at=now_ms,
        slot=slot_id,
        reason=reason,
        detail={"released": released},
    )
    return {"slot": windows.get_slot(slot_id), "released": released}


def _release(booking, *, principal, reason, now_ms):
    ops = [
        windows.release_seat_step(booking.mine_id, booking.slot_start_ms, now_ms),
        end_step(booking.booking_id, "closed", reason, now_ms),
        log.step_reading(
            mine_id=booking.mine_id, action="release", actor=principal, at=now_ms, booking=booking, reason=reason
        ),
    ]
    try:
        retry_busy(
            lambda: waybills.transition(
                waybill_id=booking.waybill_id,
                action="release_booking",
                actor=principal,
                now_ms=now_ms,
                reason=reason,
                extra_ops=ops,
                changes={"booking_id": None, "slot_id": None},
            )
        )
    except Conflict:
        return 0  # it moved on meanwhile (called, entered, cancelled): nothing to release
    notifications.notify(
        booking.driver_id, {"type": "window_closed", "booking_id": booking.booking_id, "reason": reason}
    )
    return 1


# -- reads and steps the other sub-packages use (only this one names the Booking table) ------------

find = store.get_booking  # a booking or None
mine_active = store.mine_active  # every active booking at a mine (the queue and those still to check in)
vehicle_active = store.vehicle_active
driver_recent = store.driver_recent  # a driver's bookings created since a time, newest first
change_step = store.booking_update_op  # change an active booking in the expected stage (None removes)
change = store.update_booking  # the same change outside a transaction


def end_step(booking_id, status, reason, now_ms, *, stage=None):
    """The step that takes an active booking out of the queue (moved, cancelled, closed, expired, entered)."""
    return store.booking_update_op(booking_id, store.ended_changes(status, reason, now_ms), stage=stage)


def get(booking_id):
    booking = store.get_booking(booking_id)
    if booking is None:
        raise NotFound("booking_not_found", "booking not found")
    return booking


def own(principal, booking_id, *, active=True):
    """A driver's own booking (404 for anyone else's); with `active`, 409 once it has ended."""
    booking = get(booking_id)
    if principal.role == "driver" and booking.driver_id != principal.user_id:
        raise NotFound("booking_not_found", "booking not found")
    if active and booking.status != "active":
        raise ApiError(
            "booking_not_active", f"this booking is {booking.status}", status=409, details={"status": booking.status}
        )
    return booking


# -- standby: trucks booked later than they wished take freed seats in earlier windows ----------------------


def promote_standby(*, mine_id, slot, actor, now_ms, bookings=None, limit=None):
    """Move standby trucks, first asked first, into free seats of `slot` (each a conditional seat take, so two
    promoters never seat more than the window holds); the promoted bookings, their drivers told."""
    bookings = store.mine_active(mine_id) if bookings is None else bookings
    promoted = []
    for old in standby_candidates(bookings, start_ms=slot.start_ms, end_ms=slot.end_ms):
        if limit is not None and len(promoted) >= limit:
            break
        try:
            promoted.append(_promote(old, slot, actor=actor, now_ms=now_ms))
        except Conflict as error:
            if error.code in ("slot_full", "slot_closed", "slot_started"):
                break  # the window is full (or gone): nobody else gets in
            continue  # this truck moved on meanwhile (checked in, cancelled, promoted elsewhere): the next one
    return promoted


def _promote(old, slot, *, actor, now_ms):
    truck = SimpleNamespace(
        waybill_id=old.waybill_id, driver_id=old.driver_id, vehicle_id=old.vehicle_id, plate=old.plate
    )
    new = _new_booking(truck, slot, now_ms)
    new.standby_from_ms = None  # it now has a seat at or before the time it could come
    ops = [
        windows.release_seat_step(old.mine_id, old.slot_start_ms, now_ms),
        _seat_in_started_window(slot, now_ms),
        end_step(old.booking_id, "moved", f"standby promoted to {new.slot_id}", now_ms, stage="booked"),
        store.booking_put_op(new),
        log.step_reading(
            mine_id=old.mine_id,
            action="standby_promotion",
            actor=actor,
            at=now_ms,
            booking=new,
            detail={"from": old.slot_id, "from_booking": old.booking_id},
        ),
    ]
    waybills.transition(
        waybill_id=old.waybill_id,
        action="move_booking",
        actor=actor,
        now_ms=now_ms,
        reason="standby promotion",
        changes={"booking_id": new.booking_id, "slot_id": new.slot_id},
        extra_ops=ops,
        guard=_current_booking(old.booking_id),
    )
    notifications.notify(
        new.driver_id,
        {"type": "promoted", "booking_id": new.booking_id, "slot_id": new.slot_id, "from_slot_id": old.slot_id},
    )
    return new


def _seat_in_started_window(slot, now_ms):
    """A standby truck may take a seat in a window that has started (an absent truck's place): the seat
    condition is the window's count and state, not its start."""
    return windows.take_seat_step(slot.mine_id, slot.start_ms, min(now_ms, slot.start_ms - 1))

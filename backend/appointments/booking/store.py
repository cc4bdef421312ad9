"""Bookings: reads by the sparse indexes, and the transaction steps that create and change them."""

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.appointments.booking.models import Booking
from backend.common.errors import Conflict
from backend.common.transactions import TxOp


def get_booking(booking_id):
    try:
        return Booking.get(booking_id, consistent_read=True)
    except DoesNotExist:
        return None


def booking_put_op(booking):
    """Create a booking as an UpdateItem, not a PutItem.

    PynamoDB sends a transaction's puts before its updates, and waybills.store maps cancellation
    reasons to steps assuming [event put, waybill update, *extra steps]: that holds only while every
    extra step is an update.
    """
    actions = [
        getattr(Booking, name).set(value)
        for name, value in booking.attribute_values.items()
        if name != "booking_id" and value is not None
    ]
    return TxOp(
        apply=lambda tx: tx.update(
            Booking(booking.booking_id), actions=actions, condition=Booking.booking_id.does_not_exist()
        ),
        error=Conflict("booking_exists", "booking id already used"),
    )


def _actions(changes):
    """Update actions for {attribute: value}; None removes the attribute."""
    return [getattr(Booking, k).remove() if v is None else getattr(Booking, k).set(v) for k, v in changes.items()]


def booking_update_op(booking_id, changes, *, stage=None):
    """Change an active booking (in the expected stage); None values remove attributes."""
    actions = _actions(changes)
    condition = Booking.status == "active"
    if stage:
        condition &= Booking.stage == stage
    return TxOp(
        apply=lambda tx: tx.update(Booking(booking_id), actions=actions, condition=condition),
        error=Conflict("booking_changed", "the booking changed meanwhile; reload and try again"),
    )


def hold_op(booking_id, changes):
    """Mark a booking held or cleared inside the hold's own transaction: on condition only that it exists, so
    queue bookkeeping can never make a hold fail (a booking is never deleted; an ended one is left as it is)."""
    actions = _actions(changes)
    return TxOp(
        apply=lambda tx: tx.update(Booking(booking_id), actions=actions, condition=Booking.booking_id.exists()),
        error=Conflict("booking_not_found", "the waybill names a booking that does not exist"),
    )


def ended_changes(status, reason, now_ms):
    """The attributes that take a booking out of the queue."""
    return {
        "status": status,
        "end_reason": reason,
        "queue_mine_id": None,
        "active_vehicle_id": None,
        "updated_at": now_ms,
    }


def mine_active(mine_id):
    """Every active booking at a mine (the queue and those still to check in)."""
    return list(Booking.queue.query(mine_id))


def vehicle_active(vehicle_id):
    return list(Booking.by_active_vehicle.query(vehicle_id))


def driver_recent(driver_id, since_ms):
    """A driver's bookings created since a time, newest first."""
    return list(Booking.by_driver.query(driver_id, Booking.created_at >= since_ms, scan_index_forward=False))


def update_booking(booking_id, changes, *, stage=None):
    """Change an active booking outside a transaction (same condition as booking_update_op)."""
    op = booking_update_op(booking_id, changes, stage=stage)
    try:
        with db.transaction() as tx:
            op.apply(tx)
    except TransactWriteError as error:
        raise op.error from error

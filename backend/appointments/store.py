"""Slots, bookings, queue events and debounce state: conditional writes and transaction steps."""
import secrets

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError

from backend import db
from backend.appointments.models import Booking, CheckinDebounce, QueueEvent, Slot
from backend.auth.models import User
from backend.common.errors import ApiError, Conflict
from backend.common.batch import Read
from backend.common.store import query_page
from backend.waybills.store import TxOp


def slot_id(mine_id, start_ms):
    return f"{mine_id}@{start_ms}"


def parse_slot_id(value):
    """(mine_id, start_ms) of a slot id, or None if malformed."""
    mine_id, _, start = (value or "").rpartition("@")
    return (mine_id, int(start)) if mine_id and start.isdigit() else None


def _failed(error):
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


# -- slots ---------------------------------------------------------------------------------------

def put_slot_if_absent(slot):
    """Create a window unless it exists (re-running the opener never resets bookings)."""
    try:
        slot.save(condition=Slot.start_ms.does_not_exist())
    except PutError as error:
        if _failed(error):
            return False
        raise
    return True


def get_slot(mine_id, start_ms):
    try:
        return Slot.get(mine_id, start_ms, consistent_read=True)
    except DoesNotExist:
        return None


def slot_read(mine_id, start_ms):
    """A batch read of one window (backend.common.batch)."""
    return Read(Slot, mine_id, start_ms)


def slots_between(mine_id, start_ms, end_ms):
    """A mine's windows starting in [start_ms, end_ms), in time order."""
    return list(Slot.query(mine_id, Slot.start_ms.between(start_ms, end_ms - 1), consistent_read=True))


def seat_take_op(mine_id, start_ms, now_ms):
    """Take one seat only if one is free, the window is open and has not started."""
    condition = ((Slot.booked < Slot.capacity) & (Slot.status == "open") & (Slot.start_ms > now_ms))
    slot = Slot(mine_id, start_ms)
    return TxOp(apply=lambda tx: tx.update(slot, actions=[Slot.booked.add(1), Slot.updated_at.set(now_ms)],
                                           condition=condition),
                error=Conflict("slot_full", "no free seat in this window (or it has closed or started)",
                               details={"slot_id": slot_id(mine_id, start_ms)}))


def seat_release_op(mine_id, start_ms, now_ms, *, counts=()):
    """Give a seat back; `counts` are queue counters to add 1 to in the same step (one step per item)."""
    slot = Slot(mine_id, start_ms)
    actions = [Slot.booked.add(-1), Slot.updated_at.set(now_ms)] + [getattr(Slot, c).add(1) for c in counts]
    return TxOp(apply=lambda tx: tx.update(slot, actions=actions, condition=Slot.booked > 0),
                error=Conflict("seat_not_held", "the window has no booked seat to release"))


# -- queue counters ------------------------------------------------------------------------------

QUEUE_BUSY = ApiError("busy", "the queue of this window moved meanwhile; try again", status=409)


def queue_join_op(mine_id, start_ms, *, seen, counts=()):
    """Hand out the window's next queue place (seen + 1), only if nobody took it first (else 409 busy: retry)."""
    slot = Slot(mine_id, start_ms)
    unchanged = Slot.q_joined.does_not_exist() if not seen else Slot.q_joined == seen
    actions = [Slot.q_joined.set(seen + 1)] + [getattr(Slot, c).add(1) for c in counts]
    return TxOp(apply=lambda tx: tx.update(slot, actions=actions, condition=Slot.start_ms.exists() & unchanged),
                error=QUEUE_BUSY)


def queue_count_op(mine_id, start_ms, *counts):
    """Add 1 to queue counters of a window (a call, a departure, a called truck done)."""
    slot = Slot(mine_id, start_ms)
    return TxOp(apply=lambda tx: tx.update(slot, actions=[getattr(Slot, c).add(1) for c in counts],
                                           condition=Slot.start_ms.exists()),
                error=Conflict("slot_not_found", "the booking's window no longer exists"))


def queue_windows(mine_id, start_ms, end_ms):
    """A mine's windows starting in [start_ms, end_ms] with their queue counters (one Query, a few dozen items)."""
    return list(Slot.query(mine_id, Slot.start_ms.between(start_ms, end_ms), consistent_read=True,
                           attributes_to_get=["start_ms", "q_joined", "q_called", "q_left", "q_done"]))


def set_capacity(mine_id, start_ms, *, capacity, now_ms):
    """New capacity, refused below what is already booked."""
    try:
        Slot(mine_id, start_ms).update(actions=[Slot.capacity.set(capacity), Slot.updated_at.set(now_ms)],
                                       condition=Slot.start_ms.exists() & (Slot.booked <= capacity))
    except UpdateError as error:
        if _failed(error):
            return False
        raise
    return True


def close_slot(mine_id, start_ms, *, reason, now_ms):
    try:
        Slot(mine_id, start_ms).update(
            actions=[Slot.status.set("closed"), Slot.close_reason.set(reason), Slot.updated_at.set(now_ms)],
            condition=Slot.status == "open")
    except UpdateError as error:
        if _failed(error):
            return False
        raise
    return True


# -- bookings ------------------------------------------------------------------------------------

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
    actions = [getattr(Booking, name).set(value) for name, value in booking.attribute_values.items()
               if name != "booking_id" and value is not None]
    return TxOp(apply=lambda tx: tx.update(Booking(booking.booking_id), actions=actions,
                                           condition=Booking.booking_id.does_not_exist()),
                error=Conflict("booking_exists", "booking id already used"))


def booking_update_op(booking_id, changes, *, stage=None):
    """Change an active booking (in the expected stage); None values remove attributes."""
    actions = [getattr(Booking, k).remove() if v is None else getattr(Booking, k).set(v) for k, v in changes.items()]
    condition = Booking.status == "active"
    if stage:
        condition &= Booking.stage == stage
    return TxOp(apply=lambda tx: tx.update(Booking(booking_id), actions=actions, condition=condition),
                error=Conflict("booking_changed", "the booking changed meanwhile; reload and try again"))


def ended_changes(status, reason, now_ms):
    """The attributes that take a booking out of the queue."""
    return {"status": status, "end_reason": reason, "queue_mine_id": None, "active_vehicle_id": None,
            "updated_at": now_ms}


def no_show_op(user_id):
    """Mark the driver's record (counted in their credit)."""
    return TxOp(apply=lambda tx: tx.update(User(user_id), actions=[User.no_shows.add(1)],
                                           condition=User.user_id.exists()),
                error=ApiError("driver_not_found", "the booking's driver no longer exists", status=409))


def mine_active(mine_id):
    """Every active booking at a mine (the queue and those still to check in)."""
    return list(Booking.queue.query(mine_id))


def vehicle_active(vehicle_id):
    return list(Booking.by_active_vehicle.query(vehicle_id))


def driver_recent(driver_id, since_ms):
    """A driver's bookings created since a time, newest first."""
    return list(Booking.by_driver.query(driver_id, Booking.created_at >= since_ms, scan_index_forward=False))


# -- queue events and debounce -------------------------------------------------------------------

def record_event(*, mine_id, action, actor, at, booking=None, reason=None, detail=None, slot=None):
    """Append a queue event (who, when, why)."""
    event = QueueEvent(mine_id, f"{at:013d}#{secrets.token_hex(4)}", at=at, action=action,
                       booking_id=booking.booking_id if booking else None,
                       waybill_id=booking.waybill_id if booking else None,
                       slot_id=slot or (booking.slot_id if booking else None),
                       actor_id=actor.user_id, actor_role=actor.role, reason=reason, detail=detail)
    event.save()
    return event


def events_page(mine_id, *, limit, last_evaluated_key, since_ms=None):
    """A mine's queue events, newest first."""
    condition = QueueEvent.event_key >= f"{since_ms:013d}" if since_ms else None
    query = lambda **kw: QueueEvent.query(mine_id, condition, scan_index_forward=False, **kw)  # noqa: E731
    return query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def get_debounce(vehicle_id):
    try:
        return CheckinDebounce.get(vehicle_id, consistent_read=True)
    except DoesNotExist:
        return None


def save_debounce(state):
    state.save()


def update_booking(booking_id, changes, *, stage=None):
    """Change an active booking outside a transaction (same condition as booking_update_op)."""
    op = booking_update_op(booking_id, changes, stage=stage)
    try:
        with db.transaction() as tx:
            op.apply(tx)
    except TransactWriteError as error:
        raise op.error from error

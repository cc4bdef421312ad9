"""Windows: conditional writes of the seat counter and the queue counters, as transaction steps."""

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from backend.appointments.windows.models import MineQueueStats, Slot
from backend.appointments.windows.planning import slot_id
from backend.common.batch import Read
from backend.common.errors import ApiError, Conflict
from backend.common.recent_refusals import registry
from backend.common.transactions import TxOp

# Windows a read or a failed seat just showed full (common/recent_refusals.py); every write that can
# free a seat below forgets its window's note first.
FULL = registry("full windows")


def _failed(error):
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


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
    condition = (Slot.booked < Slot.capacity) & (Slot.status == "open") & (Slot.start_ms > now_ms)
    slot = Slot(mine_id, start_ms)
    return TxOp(
        apply=lambda tx: tx.update(
            slot, actions=[Slot.booked.add(1), Slot.updated_at.set(now_ms)], condition=condition
        ),
        error=Conflict(
            "slot_full",
            "no free seat in this window (or it has closed or started)",
            details={"slot_id": slot_id(mine_id, start_ms)},
        ),
    )


def seat_release_op(mine_id, start_ms, now_ms, *, counts=()):
    """Give a seat back; `counts` are queue counters to add 1 to in the same step (one step per item)."""
    FULL.forget((mine_id, start_ms))
    slot = Slot(mine_id, start_ms)
    actions = [Slot.booked.add(-1), Slot.updated_at.set(now_ms)] + [getattr(Slot, c).add(1) for c in counts]
    return TxOp(
        apply=lambda tx: tx.update(slot, actions=actions, condition=Slot.booked > 0),
        error=Conflict("seat_not_held", "the window has no booked seat to release"),
    )


# -- queue counters ------------------------------------------------------------------------------

QUEUE_BUSY = ApiError("busy", "the queue of this window moved meanwhile; try again", status=409)


def queue_join_op(mine_id, start_ms, *, seen, counts=()):
    """Hand out the window's next queue place (seen + 1), only if nobody took it first (else 409 busy: retry)."""
    slot = Slot(mine_id, start_ms)
    unchanged = Slot.q_joined.does_not_exist() if not seen else Slot.q_joined == seen
    actions = [Slot.q_joined.set(seen + 1)] + [getattr(Slot, c).add(1) for c in counts]
    return TxOp(
        apply=lambda tx: tx.update(slot, actions=actions, condition=Slot.start_ms.exists() & unchanged),
        error=QUEUE_BUSY,
    )


def queue_count_op(mine_id, start_ms, *counts):
    """Add 1 to queue counters of a window (a call, a departure, a called truck done)."""
    slot = Slot(mine_id, start_ms)
    return TxOp(
        apply=lambda tx: tx.update(
            slot, actions=[getattr(Slot, c).add(1) for c in counts], condition=Slot.start_ms.exists()
        ),
        error=Conflict("slot_not_found", "the booking's window no longer exists"),
    )


def queue_windows(mine_id, start_ms, end_ms):
    """A mine's windows starting in [start_ms, end_ms] with their queue counters (one Query, a few dozen items)."""
    return list(
        Slot.query(
            mine_id,
            Slot.start_ms.between(start_ms, end_ms),
            consistent_read=True,
            attributes_to_get=["start_ms", "q_joined", "q_called", "q_left", "q_done"],
        )
    )


def set_capacity(mine_id, start_ms, *, capacity, now_ms):
    """New capacity, refused below what is already booked."""
    FULL.forget((mine_id, start_ms))
    try:
        Slot(mine_id, start_ms).update(
            actions=[Slot.capacity.set(capacity), Slot.lane_capacity.remove(), Slot.updated_at.set(now_ms)],
            condition=Slot.start_ms.exists() & (Slot.booked <= capacity),
        )
    except UpdateError as error:
        if _failed(error):
            return False
        raise
    return True


def close_slot(mine_id, start_ms, *, reason, now_ms):
    try:
        Slot(mine_id, start_ms).update(
            actions=[Slot.status.set("closed"), Slot.close_reason.set(reason), Slot.updated_at.set(now_ms)],
            condition=Slot.status == "open",
        )
    except UpdateError as error:
        if _failed(error):
            return False
        raise
    return True


# -- the mine's lot count and measured figures --------------------------------------------------------


def get_stats(mine_id):
    try:
        return MineQueueStats.get(mine_id, consistent_read=True)
    except DoesNotExist:
        return None


def lot_join_op(mine_id, *, bound):
    """One more truck waiting in the lot, only while fewer than `bound` wait (else 409 lot_full)."""
    stats = MineQueueStats(mine_id)
    room = MineQueueStats.in_lot.does_not_exist() | (MineQueueStats.in_lot < bound)
    return TxOp(
        apply=lambda tx: tx.update(stats, actions=[MineQueueStats.in_lot.add(1)], condition=room),
        error=Conflict("lot_full", f"the lot holds {bound} trucks already; wait outside, you keep your place"),
    )


def stats_add_op(mine_id, **amounts):
    """Add to the mine's figures (in_lot -1 when a truck leaves the lot; finished, no_shows, drive, ...)."""
    stats = MineQueueStats(mine_id)
    actions = [getattr(MineQueueStats, name).add(value) for name, value in amounts.items()]
    return TxOp(
        apply=lambda tx: tx.update(stats, actions=actions),
        error=Conflict("stats_changed", "the mine's queue figures could not be updated"),
    )


def raise_capacity(mine_id, start_ms, *, by, ceiling, now_ms):
    """Offer `by` more seats in a window (absent trucks' seats), never above `ceiling`; False when refused."""
    FULL.forget((mine_id, start_ms))
    try:
        Slot(mine_id, start_ms).update(
            actions=[Slot.capacity.add(by), Slot.updated_at.set(now_ms)],
            condition=Slot.start_ms.exists() & (Slot.capacity <= ceiling - by) & (Slot.status == "open"),
        )
    except UpdateError as error:
        if _failed(error):
            return False
        raise
    return True


def set_seats(mine_id, start_ms, *, lane_capacity, capacity, now_ms):
    """Seats from the measured cycle; refused (False) where more are already booked."""
    FULL.forget((mine_id, start_ms))
    try:
        Slot(mine_id, start_ms).update(
            actions=[
                Slot.lane_capacity.set(lane_capacity),
                Slot.capacity.set(capacity),
                Slot.updated_at.set(now_ms),
            ],
            condition=Slot.start_ms.exists() & (Slot.booked <= capacity) & (Slot.status == "open"),
        )
    except UpdateError as error:
        if _failed(error):
            return False
        raise
    return True


def set_cycle(mine_id, cycle_ms):
    MineQueueStats(mine_id).update(actions=[MineQueueStats.cycle_ms.set(int(cycle_ms))])

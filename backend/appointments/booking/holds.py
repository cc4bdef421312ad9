"""A truck held while it is in the mine's queue (an alert at the gate: a suspect plate, a failed reading).

The hold is the waybill's (alerts place and lift it); the queue reads bookings, so the booking carries
`held_at` from the hold's own transaction (events "waybill_holding"). A held truck is listed apart on the gate's
board, is not counted on call, is not called, and the no-show expiry leaves it alone: it is at the gate with
a person deciding. Cleared, it is back where it was; a truck held after its call gets a fresh grace period to
drive in, since its deadline ran while the gate kept it.
"""

from backend.appointments.booking import store
from backend.appointments.settings import rules

MINUTE_MS = 60_000
IN_QUEUE = ("booked", "checked_in", "called")  # waybill states whose booking is in the mine's queue


def hold_steps(*, waybill, action, now_ms, **_):
    """The booking's step in a hold's (or its lifting's) transaction; none when the truck is not in the queue."""
    in_queue_as = waybill.state if action == "hold" else waybill.held_from
    if not waybill.booking_id or in_queue_as not in IN_QUEUE:
        return []
    if action == "hold":
        changes = {"held_at": now_ms}
    else:
        changes = {"held_at": None}
        if in_queue_as == "called":
            changes["call_deadline_ms"] = now_ms + rules().grace_minutes * MINUTE_MS
    return [store.hold_op(waybill.booking_id, dict(changes, updated_at=now_ms))]

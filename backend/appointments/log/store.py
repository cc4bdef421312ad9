"""The queue log: appended events, read newest first."""

import secrets

from backend.appointments.log.models import QueueEvent
from backend.common.store import query_page


def record_event(*, mine_id, action, actor, at, booking=None, reason=None, detail=None, slot=None):
    """Append a queue event (who, when, why)."""
    event = QueueEvent(
        mine_id,
        f"{at:013d}#{secrets.token_hex(4)}",
        at=at,
        action=action,
        booking_id=booking.booking_id if booking else None,
        waybill_id=booking.waybill_id if booking else None,
        slot_id=slot or (booking.slot_id if booking else None),
        actor_id=actor.user_id,
        actor_role=actor.role,
        reason=reason,
        detail=detail,
    )
    event.save()
    return event


def events_page(mine_id, *, limit, last_evaluated_key, since_ms=None):
    """A mine's queue events, newest first."""
    condition = QueueEvent.event_key >= f"{since_ms:013d}" if since_ms else None
    query = lambda **kw: QueueEvent.query(mine_id, condition, scan_index_forward=False, **kw)  # noqa: E731
    return query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)

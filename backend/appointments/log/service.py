"""The queue log: every sub-package records who changed a mine's queue; staff read it newest first."""

from backend.appointments.common import require_mine
from backend.appointments.log import store
from backend.common.errors import field_error

record = store.record_event  # the one way to append: sub-packages record through the log's service


def mine_events(*, principal, mine_id, limit, last_evaluated_key):
    """Who changed the queue, when and why (dispatch centre, admins, the mine's own gate)."""
    require_mine(principal, mine_id)
    if limit < 1:
        raise field_error("limit", "at least 1")
    return store.events_page(mine_id, limit=limit, last_evaluated_key=last_evaluated_key)

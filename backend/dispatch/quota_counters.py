"""The day's truck counters of the quota plan (backend/dispatch/quotas.py plans them): the transaction steps a
grab, a give-back or a booking on another day uses.

Kept apart from the planning so that taking a load does not import what planning reads (orders, allocations,
payments): a container serving the hall loads only this, and planning loads when a plan is first missing.
"""

from backend.common.errors import Conflict
from backend.common.transactions import TxOp
from backend.dispatch import store


def consume_quota_op(shipper_id, mine_id, date):
    """A TxOp taking one truck of the shipper's quota at the mine on the date (409 quota_exhausted)."""
    return TxOp(
        apply=store.consume_quota_step(shipper_id, mine_id, date),
        error=Conflict(
            "quota_exhausted",
            "this shipper's trucks for the day at this mine are used up",
            details={"shipper_id": shipper_id, "mine_id": mine_id, "date": date},
        ),
    )


def release_quota_op(shipper_id, mine_id, date):
    """A TxOp giving one truck back to the shipper's quota."""
    return TxOp(
        apply=store.release_quota_step(shipper_id, mine_id, date),
        error=Conflict("quota_release_failed", "the quota counter is already at zero"),
    )

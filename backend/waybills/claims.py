"""One active waybill per driver: a unique claim item that moves with the waybill in its own transaction.

The claim `active#<driver_id>` names the waybill the driver is on. It is taken when a waybill
enters the active states with a driver (or changes driver), and released when it leaves them
(unloaded, cancelled, given back) — always inside the transition's TransactWrite, so a race
between two grabs is decided by DynamoDB, and asking "is this driver free?" never reads history.
"""

from backend.common.errors import Conflict
from backend.common.transactions import TxOp
from backend.waybills import store
from backend.waybills.transitions import ACTIVE_STATES


def _busy(waybill_id):
    return Conflict("driver_busy", "this driver already has an active waybill", details={"waybill_id": waybill_id})


def _active_driver(state, driver_id):
    return driver_id if state in ACTIVE_STATES and driver_id else None


def driver_claim_steps(waybill, to_state, changes):
    """The claim steps a move from `waybill` to `to_state` with `changes` needs (none, take, give, or both)."""
    before = _active_driver(waybill.state, waybill.driver_id)
    after = _active_driver(
        to_state, changes.get("driver_id", waybill.driver_id) if "driver_id" in changes else waybill.driver_id
    )
    if before == after:
        return []
    steps = []
    if before:
        steps.append(
            TxOp(
                apply=store.release_active_op(before, waybill.waybill_id),
                error=Conflict("claim_mismatch", "the driver's claim names another waybill"),
            )
        )
    if after:
        steps.append(
            TxOp(
                apply=store.claim_active_op(after, waybill.waybill_id),
                error=_busy(waybill.waybill_id),
                recover=lambda: drop_stale_claim(after),
            )
        )
    return steps


def drop_stale_claim(driver_id):
    """Free a claim whose waybill has finished (left by data from before claims were released); True if freed."""
    owner = store.active_owner(driver_id)
    if owner is None:
        return True  # released meanwhile: try again
    held = store.get(owner)
    if held is not None and held.driver_id == driver_id and held.state in ACTIVE_STATES:
        return False
    store.drop_claim(driver_id, owner)
    return True

"""One active waybill per driver and per truck: claim items that move with the waybill in its own transaction.

The claims `active#<driver_id>` and `active_vehicle#<vehicle_id>` name the waybill the driver or the
truck is on. Each is taken when a waybill enters the active states with that driver or truck (or
changes to another), and released when it leaves them (unloaded, cancelled, given back) — always
inside the transition's TransactWrite, so a race between two grabs is decided by DynamoDB, and asking
"is this driver free?" or "is this truck free?" never reads history. A truck on one active waybill
holds at most that waybill's one booking, so it can never hold two seats in a window either.
"""

from backend.common.errors import Conflict
from backend.common.transactions import TxOp
from backend.waybills import store
from backend.waybills.transitions import ACTIVE_STATES

HOLDERS = {
    # kind: (the waybill attribute that names the holder, the refusal when the holder is on another load)
    "driver": (
        "driver_id",
        lambda wb: Conflict("driver_busy", "this driver already has an active waybill", details={"waybill_id": wb}),
    ),
    "vehicle": (
        "vehicle_id",
        lambda wb: Conflict(
            "vehicle_busy",
            "this truck is already on an active waybill",
            details={"waybill_id": wb, "fields": {"vehicle_id": ["on another active waybill"]}},
        ),
    ),
}


def _holder(state, holder_id):
    return holder_id if state in ACTIVE_STATES and holder_id else None


def claim_steps(waybill, to_state, changes):
    """Every claim step a move from `waybill` to `to_state` with `changes` needs, for drivers and trucks."""
    return [step for kind in HOLDERS for step in _steps(kind, waybill, to_state, changes)]


def driver_claim_steps(waybill, to_state, changes):
    """The driver's claim steps alone (none, take, give, or both)."""
    return _steps("driver", waybill, to_state, changes)


def _steps(kind, waybill, to_state, changes):
    attribute, busy = HOLDERS[kind]
    current = getattr(waybill, attribute, None)
    before = _holder(waybill.state, current)
    after = _holder(to_state, changes[attribute] if attribute in changes else current)
    if before == after:
        return []
    steps = []
    if before:
        steps.append(
            TxOp(
                apply=store.release_active_op(before, waybill.waybill_id, kind=kind),
                error=Conflict("claim_mismatch", f"the {kind}'s claim names another waybill"),
            )
        )
    if after:
        steps.append(
            TxOp(
                apply=store.claim_active_op(after, waybill.waybill_id, kind=kind),
                error=busy(waybill.waybill_id),
                recover=lambda: drop_stale_claim(after, kind),
            )
        )
    return steps


def drop_stale_claim(holder_id, kind="driver"):
    """Free a claim whose waybill has finished (left by data from before claims were released); True if freed."""
    owner = store.active_owner(holder_id, kind)
    if owner is None:
        return True  # released meanwhile: try again
    return held_on(holder_id, owner, kind) is None


def held_on(holder_id, owner, kind="driver"):
    """The active waybill `owner` when it really holds the driver (truck), else None after dropping the stale claim."""
    attribute, _ = HOLDERS[kind]
    held = store.get(owner)
    if held is not None and getattr(held, attribute) == holder_id and held.state in ACTIVE_STATES:
        return held
    store.drop_claim(holder_id, owner, kind)
    return None

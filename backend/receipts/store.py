"""Receipt records: inserted with the unload transition, decided with confirm or dispute."""

from pynamodb.exceptions import DoesNotExist

from backend.common.errors import Conflict
from backend.common.transactions import TxOp
from backend.receipts.models import Receipt


def get(waybill_id):
    try:
        return Receipt.get(waybill_id, consistent_read=True)
    except DoesNotExist:
        return None


def insert_op(receipt):
    """A transaction step adding the receipt; a second receipt for the waybill fails it."""
    return TxOp(
        apply=lambda tx: tx.save(receipt, condition=Receipt.waybill_id.does_not_exist()),
        error=Conflict("receipt_exists", "this waybill already has a receipt"),
    )


def decide_op(waybill_id, *, status, reason, now_ms):
    """A transaction step recording the buyer's decision on a receipt still waiting for one."""
    actions = [Receipt.status.set(status), Receipt.decided_at.set(now_ms)]
    if reason:
        actions.append(Receipt.dispute_reason.set(reason))
    return TxOp(
        apply=lambda tx: tx.update(Receipt(waybill_id), actions=actions, condition=Receipt.status == "taken"),
        error=Conflict("receipt_decided", "the receipt was already confirmed or disputed"),
    )


def resolve_op(waybill_id, *, resolution, agreed_received_kg, by, now_ms):
    """A transaction step closing a disputed receipt with its outcome (the dispute's resolve)."""
    actions = [
        Receipt.status.set("resolved"),
        Receipt.resolution.set(resolution),
        Receipt.resolved_by.set(by),
        Receipt.resolved_at.set(now_ms),
    ]
    if agreed_received_kg is not None:
        actions.append(Receipt.agreed_received_kg.set(agreed_received_kg))
    return TxOp(
        apply=lambda tx: tx.update(Receipt(waybill_id), actions=actions, condition=Receipt.status == "disputed"),
        error=Conflict("receipt_not_disputed", "the receipt is not disputed"),
    )

"""Payments: the record, its conditional status moves (as transaction steps), the unpaid index."""

from pynamodb.exceptions import DoesNotExist, UpdateError

from backend.payments.models import Payment

OPEN = ("awaiting_payment", "paying")


def new(**fields):
    return Payment(**fields)


def create_op(payment):
    """A step inserting the payment beside its waybill (orders' transaction)."""
    return lambda tx: tx.save(payment, condition=Payment.waybill_id.does_not_exist())


def get(waybill_id):
    try:
        return Payment.get(waybill_id, consistent_read=True)
    except DoesNotExist:
        return None


def move_op(waybill_id, *, from_states, to_status, now_ms, keep_open=False, **fields):
    """A step moving the status only from `from_states`; leaving the open set drops it from the unpaid index."""
    payment = Payment(waybill_id)
    actions = [Payment.status.set(to_status), Payment.updated_at.set(now_ms)]
    actions += [getattr(Payment, k).set(v) for k, v in fields.items()]
    if not keep_open:
        actions.append(Payment.open_mine_id.remove())
    condition = Payment.status.is_in(*from_states)
    return lambda tx: tx.update(payment, actions=actions, condition=condition)


def _update_if(waybill_id, actions, condition):
    """One conditional update; False when the condition no longer holds."""
    try:
        Payment(waybill_id).update(actions=actions, condition=condition)
        return True
    except UpdateError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            return False
        raise


def mark_paying(waybill_id, *, pay_url, now_ms):
    """The provider has the payment: keep its page; still open. False when it is no longer open."""
    actions = [Payment.status.set("paying"), Payment.pay_url.set(pay_url), Payment.updated_at.set(now_ms)]
    return _update_if(waybill_id, actions, Payment.status.is_in(*OPEN))


def mark_refund_owed(waybill_id, *, mine_id, transaction_id, now_ms):
    """Money came for an order that had ended unpaid: owe it back (open again, so reconciliation retries)."""
    actions = [
        Payment.status.set("refunding"),
        Payment.transaction_id.set(transaction_id),
        Payment.open_mine_id.set(mine_id),
        Payment.paid_at.set(now_ms),
        Payment.updated_at.set(now_ms),
    ]
    condition = Payment.status.is_in("cancelled", "expired") & Payment.transaction_id.does_not_exist()
    return _update_if(waybill_id, actions, condition)


def mark_refunded(waybill_id, *, refunded_fen, now_ms):
    Payment(waybill_id).update(
        actions=[
            Payment.status.set("refunded"),
            Payment.refunded_fen.set(refunded_fen),
            Payment.updated_at.set(now_ms),
            Payment.open_mine_id.remove(),
        ],
        condition=Payment.status == "refunding",
    )


def unpaid(mine_id, *, before_ms=None, limit=100):
    """Payments still open at a mine (expiring first); bounded by the index's open set, not history."""
    condition = Payment.expires_at < before_ms if before_ms is not None else None
    return list(Payment.unpaid_by_mine.query(mine_id, range_key_condition=condition, limit=limit))

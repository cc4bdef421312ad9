"""Paying for a truckload before it reaches the hall (先款后货): start, notifications, reconciliation, refunds.

Money moves only in a transaction that also moves the payment's status: the paid notification's
transaction publishes the waybill, marks the payment paid and posts provider → escrow under the entry id
`pay_<provider>_<transaction id>`, so a duplicate, a retry or a reconciliation finding the same payment
changes nothing. Anything that fails its checks (signature, amount, unknown order, stale replay) changes
nothing and raises an alert.
"""

import logging

from backend.alerts import service as alerts
from backend.catalogue import service as catalogue
from backend.common.errors import ApiError, Conflict, NotFound
from backend.common.transactions import TxOp
from backend.config import setting
from backend.ledger import service as ledger
from backend.payments import providers, store
from backend.payments.providers import BadNotification, ProviderUnavailable
from backend.waybills import service as waybills

log = logging.getLogger("coalhaul.payments")
SYSTEM = waybills.SystemActor("payments")
UNKNOWN_MINE = "platform"  # alerts about notifications naming no order of ours


def provider():
    return providers.get(setting("PAY_PROVIDER"))


def prepay_required(principal):
    """A buyer's own retail order is paid before it is published; a shipper's is paid by its balance."""
    return principal.role == "buyer" and setting("RETAIL_PREPAY")


def create_step(waybill, *, now_ms):
    """The payment awaited for a new retail waybill (a step of orders' create transaction)."""
    payment = store.new(
        waybill_id=waybill.waybill_id,
        buyer_id=waybill.buyer_id,
        mine_id=waybill.mine_id,
        amount_fen=int(waybill.quote["total_fen"]),
        status="awaiting_payment",
        provider=setting("PAY_PROVIDER"),
        open_mine_id=waybill.mine_id,
        expires_at=now_ms + setting("PAY_EXPIRE_MINUTES") * 60_000,
        created_at=now_ms,
        updated_at=now_ms,
    )
    return store.create_op(payment)


def find(waybill_id):
    """The waybill's payment, or None (shippers' loads and orders placed before prepay have none)."""
    return store.get(waybill_id)


def get_visible(principal, waybill_id):
    payment = store.get(waybill_id)
    if payment is None or (principal.role == "buyer" and payment.buyer_id != principal.user_id):
        raise NotFound("payment_not_found", "no payment for this order")
    return payment


def start(*, principal, waybill_id, now_ms):
    """Hand the payment to the provider and return it with the page the buyer pays on."""
    payment = get_visible(principal, waybill_id)
    if payment.status not in store.OPEN:
        raise Conflict("not_payable", f"this order is {payment.status}", details={"status": payment.status})
    if payment.expires_at <= now_ms:
        raise Conflict("payment_expired", "the time to pay for this order is over", details={"status": "expired"})
    base = setting("PAY_NOTIFY_BASE_URL").rstrip("/")
    # "paying" before the call: if the provider times out it may still have the payment, so from now on
    # reconciliation and expiry ask it before deciding anything.
    if not store.mark_paying(waybill_id, pay_url=payment.pay_url, now_ms=now_ms):
        return store.get(waybill_id)  # paid or closed meanwhile: the reply shows which
    try:
        created = provider().create(
            order_id=waybill_id,
            amount_fen=int(payment.amount_fen),
            description=f"煤运通 {waybill_id}",
            notify_url=f"{base}/api/payments/notify/{payment.provider}",
            return_url=f"{base}/#/buyer-orders",
        )
    except ProviderUnavailable as error:
        log.warning("payment provider unavailable for %s: %s", waybill_id, error)
        raise ApiError("provider_unavailable", "the payment provider did not answer; try again", status=503) from None
    pay_url = created.pay_url or (created.prepay or {}).get("code_url")
    store.mark_paying(waybill_id, pay_url=pay_url, now_ms=now_ms)  # False: paid meanwhile; the reply shows it
    return store.get(waybill_id)


def _alert(reason, *, now_ms, payment=None, **facts):
    """Record a refused notification for a person to look at; nothing else happens."""
    log.warning("payment alert: %s %s", reason, facts)
    alerts.raise_alert(
        kind="payment",
        mine_id=payment.mine_id if payment else UNKNOWN_MINE,
        reason=reason,
        actor=SYSTEM,
        now_ms=now_ms,
        waybill_id=payment.waybill_id if payment else None,
        hold=False,
    )


def _refused(code, message):
    return ApiError(code, message, status=400)


def notify(*, provider_name, headers, body, now_ms):
    """Verify and apply one asynchronous notification; raises a 400 (after an alert) for what it refuses."""
    if provider_name != setting("PAY_PROVIDER"):
        raise NotFound("provider_not_found", "payments are not taken through this provider")
    try:
        notice = provider().verify_notification(headers, body)
    except BadNotification as error:
        _alert(f"notification refused: {error}", now_ms=now_ms, provider=provider_name)
        raise _refused("bad_signature", "the notification's signature or format is wrong") from None
    if notice.sent_at_ms is not None and now_ms - notice.sent_at_ms > setting("PAY_NOTIFY_MAX_AGE_SECONDS") * 1000:
        _alert(f"stale notification {notice.notify_id} replayed", now_ms=now_ms, payment=store.get(notice.order_id))
        raise _refused("stale_notification", "the notification is too old (a replay)")
    payment = store.get(notice.order_id)
    if payment is None:
        _alert(f"notification for unknown order {notice.order_id}", now_ms=now_ms)
        raise _refused("unknown_order", "no payment for this order")
    if notice.event != "payment" or not notice.paid:
        return payment  # refunds are confirmed synchronously; an unpaid notice tells us nothing new
    return apply_paid(payment, notice, now_ms=now_ms)


def apply_paid(payment, notice, *, now_ms):
    """Publish the load, mark the payment paid and move the money into escrow: all in one transaction."""
    if notice.amount_fen != payment.amount_fen:
        _alert(
            f"paid {notice.amount_fen} fen for an order of {payment.amount_fen} fen ({notice.transaction_id})",
            now_ms=now_ms,
            payment=payment,
        )
        raise _refused("wrong_amount", "the amount paid is not the order's amount")
    if payment.status in ("cancelled", "expired") and payment.transaction_id is None:
        return _refund_orphan(payment, notice, now_ms=now_ms)
    if payment.status not in store.OPEN:
        if payment.transaction_id != notice.transaction_id:
            _alert(
                f"second payment {notice.transaction_id} for a {payment.status} order", now_ms=now_ms, payment=payment
            )
        return payment  # a duplicate or a retry: done already
    paid_step = store.move_op(
        payment.waybill_id,
        from_states=store.OPEN,
        to_status="paid",
        now_ms=now_ms,
        transaction_id=notice.transaction_id,
        paid_at=now_ms,
    )
    steps = [TxOp(apply=paid_step, error=Conflict("already_paid", "this payment was applied already"))]
    steps += _into_escrow(payment, notice, now_ms=now_ms)
    try:
        waybills.transition(
            waybill_id=payment.waybill_id,
            action="pay",
            actor=SYSTEM,
            now_ms=now_ms,
            changes={"hall_mine_id": payment.mine_id},
            extra_ops=steps,
        )
    except Conflict as error:
        if error.code == "already_paid" or ledger.is_already_posted(error):
            return store.get(payment.waybill_id)
        _alert(
            f"paid {notice.transaction_id} but the order is no longer payable: {error.code}",
            now_ms=now_ms,
            payment=payment,
        )
        raise
    log.info("payment %s paid %s fen (%s)", payment.waybill_id, payment.amount_fen, notice.transaction_id)
    return store.get(payment.waybill_id)


def _into_escrow(payment, paid, *, now_ms, steps=True):
    """Provider → escrow for one provider transaction (once per transaction id): steps, or post()'s arguments."""
    entry = {
        "entry_id": f"pay_{payment.provider}_{paid.transaction_id}",
        "legs": [
            (ledger.account("provider", payment.provider), -int(payment.amount_fen)),
            (ledger.account("escrow", payment.waybill_id), int(payment.amount_fen)),
        ],
        "memo": "retail order paid into escrow",
        "now_ms": now_ms,
        "waybill_id": payment.waybill_id,
    }
    return ledger.posting_steps(**entry) if steps else entry


def _refund_orphan(payment, notice, *, now_ms):
    """Money for an order that ended unpaid (expired, cancelled) before the notification came: give it back."""
    owed = store.mark_refund_owed(
        payment.waybill_id, mine_id=payment.mine_id, transaction_id=notice.transaction_id, now_ms=now_ms
    )
    if owed:
        _alert(
            f"paid {notice.transaction_id} after the order was {payment.status}: refunded",
            now_ms=now_ms,
            payment=payment,
        )
    return refund(payment.waybill_id, now_ms=now_ms)


def close_step(waybill_id, *, status, now_ms):
    """An unpaid payment ends with its order (expired, cancelled): a step of the order's transaction."""
    return TxOp(
        apply=store.move_op(waybill_id, from_states=store.OPEN, to_status=status, now_ms=now_ms),
        error=Conflict("payment_moved", "the payment changed meanwhile (paid?)"),
    )


def refund_step(waybill_id, *, now_ms):
    """A paid order is cancelled: mark the refund owed in the cancel's transaction (then `refund` pays it)."""
    return TxOp(
        apply=store.move_op(waybill_id, from_states=("paid",), to_status="refunding", now_ms=now_ms, keep_open=True),
        error=Conflict("payment_moved", "the payment changed meanwhile"),
    )


def refund(waybill_id, *, now_ms):
    """Pay back what a refunding payment is owed: the provider, then escrow → provider (once per waybill)."""
    payment = store.get(waybill_id)
    if payment is None or payment.status != "refunding":
        return payment
    amount = int(payment.amount_fen) - int(payment.refunded_fen or 0)
    refund_id = f"rf_{waybill_id}"
    try:
        providers.get(payment.provider).refund(
            order_id=waybill_id, refund_id=refund_id, amount_fen=amount, total_fen=int(payment.amount_fen)
        )
    except ProviderUnavailable as error:
        log.warning("refund of %s waits for the provider: %s", waybill_id, error)
        return payment  # still refunding: reconciliation tries again with the same refund id
    # The money in first: a no-op for a paid order (posted by its paid transition), the taking-in of money that
    # came after its order ended (nothing else posts it).
    if payment.transaction_id:
        ledger.post(**_into_escrow(payment, payment, now_ms=now_ms, steps=False))
    legs = [(ledger.account("escrow", waybill_id), -amount), (ledger.account("provider", payment.provider), amount)]
    ledger.post(
        entry_id=f"refund_{refund_id}", legs=legs, memo="order cancelled: refund", now_ms=now_ms, waybill_id=waybill_id
    )
    store.mark_refunded(waybill_id, refunded_fen=int(payment.amount_fen), now_ms=now_ms)
    return store.get(waybill_id)


def due_for_expiry(mine_id, *, now_ms):
    """Unpaid payments at a mine whose time is up (one Query of the sparse unpaid index)."""
    return [p for p in store.unpaid(mine_id, before_ms=now_ms) if p.status in store.OPEN]


def settle_if_paid(payment, *, now_ms):
    """Ask the provider whether an open payment was paid after all; apply it if so. True when paid."""
    if payment.status == "awaiting_payment":
        return False  # never handed to the provider
    try:
        notice = provider().query(payment.waybill_id)
    except ProviderUnavailable:
        return None  # unknown: leave it for the next run
    if not notice.paid:
        return False
    try:
        apply_paid(payment, notice, now_ms=now_ms)
    except ApiError:
        return None
    return True


def reconcile(*, mine_ids, now_ms):
    """For payments left "paying" (a lost notification, a timeout) and refunds owed: the provider's truth."""
    quiet_ms = setting("PAY_RECONCILE_AFTER_SECONDS") * 1000
    paid = refunded = 0
    for mine_id in mine_ids or [m.mine_id for m in catalogue.list_mines()]:
        for payment in store.unpaid(mine_id):
            if payment.status == "paying" and now_ms - payment.updated_at >= quiet_ms:
                paid += bool(settle_if_paid(payment, now_ms=now_ms))
            elif payment.status == "refunding":
                refunded += refund(payment.waybill_id, now_ms=now_ms).status == "refunded"
    return {"paid": paid, "refunded": refunded}

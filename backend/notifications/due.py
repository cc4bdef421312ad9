"""The scheduled half of SMS delivery: deferred sends after quiet hours, retries with backoff, delivery reports,
and sends that died mid-call (reported to dispatch, never sent twice)."""

import logging

from backend.config import setting
from backend.notifications import deliver, sms, store

log = logging.getLogger("coalhaul.notify")
REPORT_TRIES = 5  # a handset that never reports: stop asking after this many looks


def run(*, now_ms, page=100, cap=2000):
    """Work through what is due, page after page (each step moves its delivery on), at most `cap` deliveries a
    run: {"sent", "retry", "failed", "capped", "reported"} counts."""
    counts = dict.fromkeys(("sent", "retry", "failed", "capped", "reported"), 0)
    seen = 0
    while seen < cap:
        found = store.due_deliveries(now_ms=now_ms, limit=page)
        for delivery in found:
            outcome = _step(delivery, now_ms=now_ms)
            if outcome in counts:
                counts[outcome] += 1
        seen += len(found)
        if len(found) < page:
            break
    return counts


def _step(delivery, *, now_ms):
    if delivery.status in ("deferred", "retry"):
        # A deferred send takes its budget now; a retry already took it with its first try.
        budgets = deliver.budgets_for(delivery.phone, now_ms) if delivery.status == "deferred" else []
        taken = store.take(
            delivery, budgets, expect=delivery.status, lease_until=now_ms + deliver.LEASE_MS, now_ms=now_ms
        )
        if taken == "capped":
            store.update_delivery(delivery, status="capped", due=None, next_at=None)
        return taken if taken == "capped" else (deliver.send(delivery, now_ms=now_ms) if taken == "ok" else None)
    if delivery.status == "sent":
        return _report(delivery, now_ms=now_ms)
    if delivery.status == "sending":  # its process died between claiming and recording: the SMS may be out
        store.update_delivery(delivery, status="failed", due=None, next_at=None, error="outcome unknown")
        deliver.tell_dispatch(delivery, "the send was interrupted; check with the driver", now_ms=now_ms)
        return "failed"
    return None


def _report(delivery, *, now_ms):
    try:
        report = sms.delivery_report(delivery.phone, delivery.biz_id, delivery.sent_at or now_ms)
    except sms.SmsFailed as error:
        log.warning("delivery report for %s: %s", delivery.delivery_id, error)
        report = {"status": "pending"}
    looks = int((delivery.receipt or {}).get("looks", 0)) + 1
    if report["status"] == "pending" and looks < REPORT_TRIES:
        wait = setting("SMS_RECEIPT_AFTER_SECONDS") * 1000 * looks
        store.update_delivery(delivery, receipt=dict(report, looks=looks), next_at=now_ms + wait)
        return None
    status = "delivered" if report["status"] == "delivered" else "undelivered"
    store.update_delivery(delivery, status=status, receipt=dict(report, looks=looks), due=None, next_at=None)
    if status == "undelivered":
        deliver.tell_dispatch(delivery, f"the handset did not receive it ({report.get('err_code')})", now_ms=now_ms)
    return "reported"

"""Scheduled jobs: zappa_settings.json's events and the local scheduler call these by name (event, context).

Each runs its domain's work once, inside the app, over every mine or only the `mine_ids` given (tests
name their own mines, so a run's duration does not depend on how many mines earlier tests created).
"""

import logging

from backend.appointments.queue import service as queue
from backend.appointments.windows import service as windows
from backend.common.clock import now_ms
from backend.dispatch import quotas
from backend.ledger import trial
from backend.orders import service as orders
from backend.payments import service as payments
from backend.settlement import job as settlement

log = logging.getLogger("coalhaul.jobs")
_app = {}


def _ensure_app():
    # Binding the models needs the config; the wsgi app does it once per container.
    if "app" not in _app:
        from backend.wsgi import app

        _app["app"] = app
    return _app["app"]


def _run(name, work):
    with _ensure_app().app_context():
        result = work(now_ms())
    log.info("job %s done: %s", name, result)
    return result


def open_slots(event=None, context=None, *, mine_ids=None):
    """Open appointment windows N days ahead (idempotent): {"opened": windows}."""
    return _run("open_slots", lambda now: windows.open_slots(now_ms=now, mine_ids=mine_ids))


def compute_quotas(event=None, context=None, *, mine_ids=None):
    """Plan today's balanced-hauling quotas per mine: {"plans": mines planned}."""
    return _run("compute_quotas", lambda now: {"plans": len(quotas.compute_all(now_ms=now, mine_ids=mine_ids))})


def expire_no_shows(event=None, context=None, *, mine_ids=None):
    """Requeue once, then expire, trucks that did not come; seats follow the measured lane cycle and standby trucks
    take free seats: {"requeued": n, "expired": n, "promoted": n}."""
    from backend.gate import service as gate  # the lanes' measured cycle comes from the gate's weighing times

    return _run(
        "expire_no_shows",
        lambda now: queue.expire_no_shows(now_ms=now, mine_ids=mine_ids, weighings=gate.weighing_times),
    )


def notify_due(event=None, context=None, *, mine_ids=None):
    """SMS owed work: sends deferred past quiet hours, retries with backoff, delivery reports (not per mine)."""
    from backend.notifications import due

    return _run("notify_due", lambda now: due.run(now_ms=now))


def watch_signal(event=None, context=None, *, mine_ids=None):
    """Trucks in transit silent on phone and terminal: one "signal lost" alert per episode, cleared on return."""
    from backend.alerts import service as alerts
    from backend.notifications import silence
    from backend.tracking import service as tracking

    return _run(
        "watch_signal",
        lambda now: silence.watch(now_ms=now, mine_ids=mine_ids, last_fix=tracking.last_fix_before, alerts=alerts),
    )


def deliver_webhooks(event=None, context=None, *, mine_ids=None):
    """Fan waybill events out to webhook subscriptions and try every delivery due, per mine."""
    from backend.webhooks import service as webhooks

    return _run("deliver_webhooks", lambda now: webhooks.run(now_ms=now, mine_ids=mine_ids))


def trial_balance(event=None, context=None, *, mine_ids=None, account_ids=None):
    """Close yesterday's ledger day, prove Σ = 0 and balance = journal: {"items", "sum", "mismatches"}.

    The book is one for all mines: `mine_ids` narrows the run to those mines' sales accounts (no Σ then).
    """
    return _run("trial_balance", lambda now: trial.run(now_ms=now, account_ids=account_ids, mine_ids=mine_ids))


def expire_unpaid_orders(event=None, context=None, *, mine_ids=None):
    """Cancel retail orders not paid in time and release their stock: {"expired": n, "paid_late": n}."""
    return _run("expire_unpaid_orders", lambda now: orders.expire_unpaid(now_ms=now, mine_ids=mine_ids))


def reconcile_payments(event=None, context=None, *, mine_ids=None):
    """Ask the provider about payments left "paying" and pay refunds owed: {"paid": n, "refunded": n}."""
    return _run("reconcile_payments", lambda now: payments.reconcile(now_ms=now, mine_ids=mine_ids))


def regfeed_upload(event=None, context=None, *, mine_ids=None):
    """Send due regulatory documents, ask for verdicts, alert on overdue ones: {state: n}."""
    from backend.regfeed import service as regfeed

    return _run("regfeed_upload", lambda now: regfeed.run(now_ms=now, mine_ids=mine_ids))


def regfeed_sweep(event=None, context=None, *, mine_ids=None):
    """Queue the documents of the last two days' delivered and settled waybills that an event failed to queue."""
    from backend.regfeed import service as regfeed

    return _run("regfeed_sweep", lambda now: regfeed.sweep(now_ms=now, mine_ids=mine_ids))


def certificate_reminders(event=None, context=None, *, mine_ids=None, carrier_ids=None):
    """Alert carriers once per certificate expiring within 30 days: {"reminded": n}."""
    from backend.regfeed import reminders

    remind = reminders.remind_certificates
    return _run("certificate_reminders", lambda now: remind(now_ms=now, carrier_ids=carrier_ids))


def settle_confirmed(event=None, context=None, *, mine_ids=None):
    """Settle confirmed waybills (a bounded batch per mine; refusals wait): {"settled": n, "refused": n}."""
    return _run("settle_confirmed", lambda now: settlement.settle_confirmed(now_ms=now, mine_ids=mine_ids))


def trust_scores(event=None, context=None, *, mine_ids=None):
    """Slide every party's 90-day credit window by its day counters and snapshot scores: {"dropped", "refreshed"}.

    Parties are not per mine: `mine_ids` is accepted like every job's and ignored.
    """
    from backend.trust import window

    return _run("trust_scores", lambda now: window.run(now_ms=now))


def trust_complaints_due(event=None, context=None, *, mine_ids=None):
    """Alert dispatch on complaints unanswered after 24 h, once each: {"overdue_alerted": n}."""
    from backend.trust import complaints

    return _run("trust_complaints_due", lambda now: complaints.alert_overdue(now_ms=now))


def analytics_backfill(event=None, context=None, *, mine_ids=None, day=None):
    """Recount yesterday's (or `day`'s) command-centre aggregates from the raw records: {"items": n}."""
    from backend.analytics import service as analytics
    from backend.common.clock import shanghai_date

    def work(now):
        target = day or shanghai_date(now - 24 * 3600 * 1000)
        return {"items": len(analytics.recompute_day(day=target, mine_ids=mine_ids, now_ms=now))}

    return _run("analytics_backfill", work)


def analytics_reports(event=None, context=None, *, mine_ids=None, day=None):
    """Daily (weekly on Sundays, monthly on a month's last day) reports per mine, shipper and carrier for
    yesterday (or `day`), from the exported history: {"reports": n}. Not per mine: `mine_ids` is ignored."""
    from datetime import date

    from backend.analytics import service as analytics
    from backend.common.clock import shanghai_date

    def work(now):
        target = date.fromisoformat(day or shanghai_date(now - 24 * 3600 * 1000))
        return analytics.generate_reports(day=target, now_ms=now)

    return _run("analytics_reports", work)


def analytics_export(event=None, context=None, *, mine_ids=None):
    """Export the report tables (AWS: ExportTableToPointInTime to the analytics bucket; locally the same layout
    written from DynamoDB Local): {"exports": [...]}. Not per mine: `mine_ids` is ignored."""
    from backend.analytics import export

    return _run("analytics_export", lambda now: export.export_tables(now_ms=now))

"""The Lambda schedule, run locally: the demo app opens windows, plans quotas and expires no-shows too.

Same jobs as zappa_settings.json: windows, quotas and the trial balance once a (Shanghai) day; no-shows,
unpaid orders, payment reconciliation and settlement every tick (5 minutes; Lambda settles every 15, and a
run more often only finds fewer confirmed waybills).
"""

import logging
import threading

from backend import jobs
from backend.common.clock import now_ms, shanghai_date

NO_SHOW_EVERY_S = 300
log = logging.getLogger("coalhaul.scheduler")


def run_due(state, mine_ids=None):
    """Run what is due now (at every mine, or the ones named); `state` remembers the day the daily jobs last ran."""
    today = shanghai_date(now_ms())
    if state.get("day") != today:
        jobs.open_slots(mine_ids=mine_ids)
        jobs.compute_quotas(mine_ids=mine_ids)
        jobs.trial_balance(mine_ids=mine_ids)
        jobs.certificate_reminders(mine_ids=mine_ids)
        jobs.regfeed_sweep(mine_ids=mine_ids)
        jobs.trust_scores(mine_ids=mine_ids)
        if mine_ids is None:  # yesterday's reports are network-wide: a run over named mines (tests) leaves them out
            jobs.analytics_reports()
        state["day"] = today
    jobs.expire_no_shows(mine_ids=mine_ids)
    jobs.expire_unpaid_orders(mine_ids=mine_ids)
    jobs.reconcile_payments(mine_ids=mine_ids)
    jobs.settle_confirmed(mine_ids=mine_ids)
    jobs.regfeed_upload(mine_ids=mine_ids)
    jobs.notify_due()  # SMS retries, quiet-hour sends, delivery reports
    jobs.watch_signal(mine_ids=mine_ids)
    jobs.deliver_webhooks(mine_ids=mine_ids)
    jobs.trust_complaints_due(mine_ids=mine_ids)


def _loop(stop):
    state = {}
    while not stop.is_set():
        try:
            run_due(state)
        except Exception:  # a failed run is retried on the next tick, as a Lambda schedule would
            log.exception("scheduled jobs failed")
        stop.wait(NO_SHOW_EVERY_S)


def start():
    """Start the schedule in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop,), daemon=True, name="local-schedule").start()
    return stop

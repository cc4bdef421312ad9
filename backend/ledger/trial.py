"""The daily trial balance: each balance item's day closing from its journal, Σ closings = 0, balance = journal.

Kept apart from service.py so the posting path never imports alerts (which import waybills, which post).
"""

import logging

from backend.alerts import service as alerts
from backend.ledger import service, store

log = logging.getLogger("coalhaul.ledger")
RECHECKS = 3  # a posting may commit between reading a balance and its lines: read both again before alerting
FAR_FUTURE = store.time_key(10**13 - 1)


def _agrees(item, closing, day_end):
    """Does the item's balance equal its closing plus the lines since? Re-read a few times to step past a race."""
    balance = int(item.balance)
    for _ in range(RECHECKS):
        since = store.lines_sum(item.account_id, from_key=store.time_key(day_end), to_key=FAR_FUTURE)
        if balance == closing + since:
            return True, balance, closing + since
        fresh = store.get_item(item.account_id)
        balance = int(fresh.balance) if fresh else 0
    return False, balance, closing + since


def run(*, now_ms, account_ids=None, mine_ids=None):
    """Close yesterday for every balance item (or those of `account_ids`) and prove the books; alert on a mismatch.

    Σ is checked on the closings (computed from journal lines before midnight, so postings racing the job do
    not disturb it); with `account_ids` the sum is over those accounts, which must form a closed set; with
    `mine_ids` only those mines' sales accounts are closed and checked against their journals (no Σ: the book
    is one for all mines).
    """
    if mine_ids is not None and account_ids is None:
        account_ids = [service.account("sales", mine_id) for mine_id in mine_ids]
    day_end = service.day_end_ms(now_ms) - service.DAY_MS  # the Shanghai midnight that began today
    if account_ids is None:
        items = list(store.scan_items())
    else:
        wanted = [item_id for account_id in account_ids for item_id in service.balance_items(account_id)]
        items = list(store.get_items(wanted).values())
    total, mismatches = 0, []
    for item in items:
        closing = service.balance_at(item.account_id, day_end)
        store.save_closing(item.account_id, day_end=day_end, closing=closing, now_ms=now_ms)
        total += closing
        agrees, balance, journal = _agrees(item, closing, day_end)
        if not agrees:
            mismatches.append({"account": item.account_id, "balance": balance, "journal": journal})
    if total != 0 and mine_ids is None:
        mismatches.append({"account": "Σ", "balance": total, "journal": 0})
    for mismatch in mismatches:
        alerts.raise_alert(
            kind="ledger_mismatch",
            mine_id=service.PLATFORM,
            reason=f"ledger out of balance on {mismatch['account']}: {mismatch['balance']} ≠ {mismatch['journal']} fen",
            actor=None,
            now_ms=now_ms,
            hold=False,
            evidence={"day_end": day_end, **mismatch},
        )
        log.error("trial balance mismatch %s", mismatch)
    return {"items": len(items), "sum": total, "day_end": day_end, "mismatches": mismatches}

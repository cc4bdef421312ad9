"""The scheduled settlement: each mine's confirmed waybills settled one by one, a bounded number per run."""

import logging

from backend.catalogue import service as catalogue
from backend.common.errors import ApiError
from backend.settlement import service, store
from backend.waybills import service as waybills

log = logging.getLogger("coalhaul.settlement")
# A run settles at most this many confirmed waybills per mine; the rest wait for the next run.
SETTLE_PER_MINE = 200
PAGE = 50


def settle_confirmed(*, now_ms, mine_ids=None, per_mine=SETTLE_PER_MINE):
    """The scheduled settlement: each mine's confirmed waybills, oldest first, each settled on its own.

    Read by key from the mine's keys-only state index, so a run costs what is confirmed, not history.
    A refusal (insufficient_funds, no payer, a waybill that moved meanwhile) is logged and the waybill
    stays confirmed; the run goes on from where the last one stopped (a cursor per mine), so refusals at
    the front cannot starve the waybills behind them, and at the end it starts again from the oldest.
    """
    settled = refused = 0
    for mine_id in mine_ids or [mine.mine_id for mine in catalogue.list_mines()]:
        counts = _settle_mine(mine_id, now_ms=now_ms, per_mine=per_mine)
        settled, refused = settled + counts[0], refused + counts[1]
    return {"settled": settled, "refused": refused}


def _settle_mine(mine_id, *, now_ms, per_mine):
    """(settled, refused) at one mine: from the saved cursor to the end, then from the oldest, within the bound."""
    settled = refused = 0
    seen, cursor = set(), store.cursor(mine_id)
    wrapped = cursor is None  # started from the oldest: reaching the end means every waybill had its turn
    while len(seen) < per_mine:
        page, cursor = waybills.list_by(
            "mine",
            mine_id,
            state="confirmed",
            limit=min(PAGE, per_mine - len(seen)),
            last_evaluated_key=cursor,
            newest_first=False,
        )
        fresh = [waybill for waybill in page if waybill.waybill_id not in seen]
        for waybill in fresh:
            seen.add(waybill.waybill_id)
            if _settle_one(waybill.waybill_id, now_ms=now_ms):
                settled += 1
            else:
                refused += 1
        if len(fresh) < len(page):  # back at one tried in this run: all had their turn; next run from the oldest
            cursor = None
            break
        if cursor is None:
            if wrapped:
                break
            wrapped = True  # the end after a saved cursor: go on from the oldest
    store.save_cursor(mine_id, cursor, now_ms=now_ms)
    return settled, refused


def _settle_one(waybill_id, *, now_ms):
    try:
        service.settle(waybill_id=waybill_id, now_ms=now_ms)
        return True
    except ApiError as refusal:
        log.info("settlement of %s left for the next run: %s", waybill_id, refusal.code)
    except Exception:  # noqa: BLE001 - one waybill's failure must not stop the others' settlement
        log.warning("settlement of %s failed; left for the next run", waybill_id, exc_info=True)
    return False

"""The nightly score job: slide each party's 90-day window by its day counters, then snapshot score and grade.

Cost follows the parties touched, not their history: the parties whose day leaves the window (one Query
page of the by_day index per 100) and those active yesterday; per page one BatchGetItem of their standings
and one TransactWriteItems (a standing update and, for a leaving day, its once-only mark). No party's
events are ever read here.
"""

from concurrent.futures import Future, ThreadPoolExecutor

from backend.common.clock import shanghai_date, shanghai_midnight_ms
from backend.trust import scoring, service, store, weights

PAGE = 50  # two items a party (standing + day mark) in a 100-item transaction
DAY_MS = 86_400_000
CATCH_UP_DAYS = 3  # a missed night is made up on the next run
WORKERS = 8  # pages in flight: the job waits on DynamoDB, not on its CPU (bench/credit.py)


def _day(now_ms, days_back):
    return shanghai_date(shanghai_midnight_ms(shanghai_date(now_ms)) - days_back * DAY_MS + DAY_MS // 2)


def _counts(item):
    return {name: int(getattr(item, name, None) or 0) for name in weights.COUNTERS}


def _page_ops(days, standings, *, leaving, now_ms):
    ops = []
    for day in days:
        standing = standings.get(day.party_id)
        counts = service.counts_of(standing)
        deltas = {}
        if leaving:
            deltas = {name: -n for name, n in _counts(day).items() if n}
            counts = {name: counts.get(name, 0) + deltas.get(name, 0) for name in weights.COUNTERS}
        role = (standing.role if standing else None) or day.role or "driver"
        summary = scoring.summary(counts, role)
        ops.append(
            store.snapshot_op(
                day.party_id, score=summary["score"], grade=summary["grade"], now_ms=now_ms, deltas=deltas
            )
        )
        if leaving:
            ops.append(store.expire_day_op(day.party_id, day.day, now_ms=now_ms))
    return ops


def _apply_page(days, *, leaving, now_ms):
    standings = store.get_standings([d.party_id for d in days])
    try:
        store.run(_page_ops(days, standings, leaving=leaving, now_ms=now_ms))
    except store.AlreadyRecorded:
        # A rerun raced this one on some day of the page: go party by party, skipping what it did.
        for day in days:
            try:
                store.run(_page_ops([day], standings, leaving=leaving, now_ms=now_ms))
            except store.AlreadyRecorded:
                continue


def _process(day_text, *, leaving, now_ms, seen, pool):
    """Page through the day's parties; each page's read and write run on the pool (pages share no party)."""
    done, cursor, pending = 0, None, []
    while True:
        items, cursor = store.days_page(day_text, limit=PAGE, last_evaluated_key=cursor)
        days = [d for d in items if not (leaving and d.expired) and (leaving or d.party_id not in seen)]
        if days:
            pending.append(pool.submit(_apply_page, days, leaving=leaving, now_ms=now_ms))
            seen.update(d.party_id for d in days)
            done += len(days)
        if cursor is None:
            break
    for future in pending:
        future.result()  # a failed page fails the run: the next night redoes what is left (days are marked)
    return done


class _Inline:
    """The pool's interface, run in the calling thread (workers=1: tests count calls per thread)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args, **kwargs):
        future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def run(*, now_ms, workers=WORKERS):
    """Drop the days that left the window (catching up missed nights), refresh yesterday's active parties."""
    seen = set()
    pool = ThreadPoolExecutor(workers, initializer=_in_app(), thread_name_prefix="trust") if workers > 1 else _Inline()
    with pool:
        dropped = sum(
            _process(_day(now_ms, weights.WINDOW_DAYS + back), leaving=True, now_ms=now_ms, seen=seen, pool=pool)
            for back in range(CATCH_UP_DAYS)
        )
        refreshed = _process(_day(now_ms, 1), leaving=False, now_ms=now_ms, seen=seen, pool=pool)
    return {"dropped": dropped, "refreshed": refreshed}


def _in_app():
    """A worker thread initialiser that enters the caller's app context (settings, bound models)."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    app = current_app._get_current_object()
    return lambda: app.app_context().push()

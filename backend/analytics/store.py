"""Aggregate items: stream increments in one transaction with their marks, reads by scope and by day."""

from datetime import UTC, datetime

from pynamodb.exceptions import TransactWriteError

from backend.analytics.kpis import COUNTERS
from backend.analytics.models import Aggregate
from backend.db import transaction

MARK_PERIOD = "seq"
MARK_TTL_SECONDS = 7 * 24 * 3600
SEQ_WIDTH = 40  # stream sequence numbers are 21-40 digits: zero-padded they compare as strings


class AlreadyApplied(Exception):
    """A mark says some record of the batch was counted before (a redelivered batch)."""


def padded(sequence_number):
    return str(sequence_number).zfill(SEQ_WIDTH)


def _kind_period(scope_key, period):
    # Only per-party day items go in the by_day index: the themes' tables list them one day at a time.
    kind = scope_key.split("#", 1)[0]
    return f"{kind}#{period}" if period.startswith("d#") and kind != "all" else None


def apply(marks, merged, now_ms):
    """One TransactWrite: each item's mark moves forward only past its last count, and every increment is added.

    marks: {mark_key: (first_seq, last_seq)}; merged: {(scope_key, period): {counter: n}}.
    """
    expires = datetime.fromtimestamp(now_ms / 1000 + MARK_TTL_SECONDS, tz=UTC)
    try:
        with transaction() as tx:
            for mark_key, (first, last) in marks.items():
                tx.update(
                    Aggregate(mark_key, MARK_PERIOD),
                    actions=[Aggregate.seq.set(padded(last)), Aggregate.expires_at.set(expires)],
                    condition=Aggregate.seq.does_not_exist() | (Aggregate.seq < padded(first)),
                )
            for (scope_key, period), counts in merged.items():
                actions = [getattr(Aggregate, name).add(n) for name, n in sorted(counts.items())]
                kind_period = _kind_period(scope_key, period)
                if kind_period:
                    actions.append(Aggregate.kind_period.set(kind_period))
                tx.update(Aggregate(scope_key, period), actions=actions)
    except TransactWriteError as error:
        reasons = getattr(error, "cancellation_reasons", None) or []
        if any(r is not None and getattr(r, "code", None) == "ConditionalCheckFailed" for r in reasons):
            raise AlreadyApplied() from error
        raise


def marks_of(mark_keys):
    """{mark_key: last applied padded sequence number} (one BatchGet)."""
    return {m.scope_key: m.seq for m in Aggregate.batch_get([(k, MARK_PERIOD) for k in mark_keys]) if m.seq}


def counters(item):
    """{counter: value} of an aggregate item, zeros left out."""
    values = {name: int(getattr(item, name) or 0) for name in COUNTERS}
    return {k: v for k, v in values.items() if v}


def series(scope_key, first_period, last_period):
    """A scope's items between two periods, oldest first: one Query whatever the history."""
    query = Aggregate.query(scope_key, Aggregate.period.between(first_period, last_period), page_size=400)
    return [(item.period, counters(item)) for item in query]


def get(scope_key, period):
    """One item's counters ({} if none)."""
    items = list(Aggregate.batch_get([(scope_key, period)]))
    return counters(items[0]) if items else {}


def by_day(kind, day, limit):
    """Every <kind> item of a day (mine, shipper, carrier, driver), up to `limit`: one Query of a sparse index."""
    query = Aggregate.by_day.query(f"{kind}#d#{day}", limit=limit, page_size=limit)
    return [(item.scope_key.split("#", 1)[1], counters(item)) for item in query]


def replace(items, now_ms):
    """Write recomputed items whole (the backfill), {(scope_key, period): counters}."""
    with Aggregate.batch_write() as batch:
        for (scope_key, period), counts in items.items():
            batch.save(
                Aggregate(
                    scope_key,
                    period,
                    kind_period=_kind_period(scope_key, period),
                    recomputed_at=now_ms,
                    **counts,
                )
            )


def put_report(listing):
    """List a generated report under its party and under dispatch's all-reports partition (one BatchWrite)."""
    period = f"{listing['start']}#{listing['cadence']}"
    with Aggregate.batch_write() as batch:
        batch.save(Aggregate(f"report#{listing['kind']}#{listing['party']}", period, report=listing))
        batch.save(Aggregate("report#all", f"{period}#{listing['kind']}#{listing['party']}", report=listing))


def reports(scope_key, limit):
    """A party's (or every party's, scope 'report#all') report listings, newest period first: one Query."""
    query = Aggregate.query(scope_key, scan_index_forward=False, limit=limit, page_size=limit)
    return [item.report for item in query if item.report]


def report(kind, party, cadence, start):
    """One report listing, or None."""
    found = list(Aggregate.batch_get([(f"report#{kind}#{party}", f"{start}#{cadence}")]))
    return found[0].report if found else None


CHOICE_SCOPE = "report_choice"


def put_choice(role, cadences):
    """Which report cadences a role receives (a manager's choice)."""
    Aggregate(CHOICE_SCOPE, role, report={"role": role, "cadences": list(cadences)}).save()


def choices():
    """{role: cadences} of every role a manager chose for (one Query of a handful of items)."""
    return {item.period: item.report["cadences"] for item in Aggregate.query(CHOICE_SCOPE) if item.report}


SUBSCRIPTION_SCOPE = "report_sub#"  # + "mine#<id>" | "shipper#<org>" | "carrier#<org>" | "all" (dispatch)


def put_subscription(scope, user_id, *, role, cadences):
    """The report cadences one person receives, kept under the party whose reports they are (one PutItem)."""
    Aggregate(SUBSCRIPTION_SCOPE + scope, user_id, report={"role": role, "cadences": list(cadences)}).save()


def subscription(scope, user_id):
    """One person's subscribed cadences, or None when they never chose (one GetItem)."""
    found = list(Aggregate.batch_get([(SUBSCRIPTION_SCOPE + scope, user_id)]))
    return found[0].report["cadences"] if found and found[0].report else None


def subscribers(scope):
    """[(user_id, role, cadences)] of a party's subscribers: one Query of one partition (its own people)."""
    query = Aggregate.query(SUBSCRIPTION_SCOPE + scope, page_size=200)
    return [(item.period, item.report["role"], item.report["cadences"]) for item in query if item.report]

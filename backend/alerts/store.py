"""Alert records: saved, read by mine, status or waybill, and resolved once."""

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from backend.alerts.models import Alert
from backend.common import store as common_store
from backend.common.errors import Conflict
from backend.common.transactions import TxOp


class AlreadyResolved(Exception):
    """Someone resolved the alert first."""


def save(alert):
    alert.save(condition=Alert.alert_id.does_not_exist())
    return alert


def save_if_new(alert):
    """Insert an alert whose id names its episode; False when that episode was raised already."""
    try:
        save(alert)
    except PutError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def get(alert_id):
    try:
        return Alert.get(alert_id, consistent_read=True)
    except DoesNotExist:
        return None


def _filter(status, kinds):
    condition = (Alert.status == status) if status else None
    if kinds:
        condition = Alert.kind.is_in(*kinds) if condition is None else condition & Alert.kind.is_in(*kinds)
    return condition


def list_by_mine(mine_id, *, status, limit, last_evaluated_key, kinds=None):
    """One page of a mine's alerts, newest first, optionally of one status and some kinds."""
    condition = _filter(status, kinds)
    query = lambda **kw: Alert.by_mine.query(
        mine_id,
        filter_condition=condition,  # noqa: E731
        scan_index_forward=False,
        **kw,
    )
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def list_by_status(status, *, limit, last_evaluated_key):
    """One page of every mine's alerts in a status, newest first (the dispatch centre)."""
    query = lambda **kw: Alert.by_status.query(status, scan_index_forward=False, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


STATUSES = ("open", "cleared", "confirmed")


def list_all(*, limit, last_evaluated_key):
    """One page of every alert in any status, newest first (the dispatch centre's 全部): the by_status partitions
    merged, one Query each, resumed below the last (created_at, alert_id) shown; the cost is a page, not history."""
    before = (last_evaluated_key["created_at"], last_evaluated_key["alert_id"]) if last_evaluated_key else None
    wanted = limit + 1  # one more than shown tells whether a partition goes on
    found, full = [], False
    for status in STATUSES:
        condition = Alert.created_at <= before[0] if before else None
        # Ties on created_at (same millisecond) sit at the page edge: read past them before cutting.
        page = list(
            Alert.by_status.query(
                status, range_key_condition=condition, scan_index_forward=False, limit=wanted, page_size=wanted
            )
        )
        full = full or len(page) == wanted
        found += page
    key = lambda a: (a.created_at, a.alert_id)  # noqa: E731
    found = sorted((a for a in found if before is None or key(a) < before), key=key, reverse=True)
    items = found[:limit]
    more = len(found) > limit or (full and len(items) == limit)
    last = {"created_at": items[-1].created_at, "alert_id": items[-1].alert_id} if more and items else None
    return items, last


def list_by_carrier(carrier_id, *, status, limit, last_evaluated_key):
    """One page of the alerts on a carrier's trucks, newest first."""
    query = lambda **kw: Alert.by_carrier.query(
        carrier_id,
        filter_condition=_filter(status, None),  # noqa: E731
        scan_index_forward=False,
        **kw,
    )
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def open_for_waybill(waybill_id):
    """The waybill's alerts still open."""
    return list(Alert.by_waybill.query(waybill_id, filter_condition=Alert.status == "open"))


def open_holding_for_waybill(waybill_id):
    """The waybill's open alerts that hold it (a hold lifts only when none is left)."""
    condition = (Alert.status == "open") & (Alert.held == "held")
    return list(Alert.by_waybill.query(waybill_id, filter_condition=condition))


def resolve_op(alert, *, status, by, reason, now_ms):
    """A transaction step closing an open alert (another domain's move carries it)."""
    return TxOp(
        apply=lambda tx: tx.update(
            alert, actions=_resolution(status, by, reason, now_ms), condition=Alert.status == "open"
        ),
        error=Conflict("alert_resolved", "the alert was resolved meanwhile", details={"alert_id": alert.alert_id}),
    )


def _resolution(status, by, reason, now_ms):
    return [
        Alert.status.set(status),
        Alert.resolved_at.set(now_ms),
        Alert.resolved_by.set(by),
        Alert.resolution_reason.set(reason),
    ]


def resolve(alert, *, status, by, reason, now_ms):
    """Close an open alert; AlreadyResolved if it was closed meanwhile."""
    try:
        alert.update(actions=_resolution(status, by, reason, now_ms), condition=Alert.status == "open")
    except UpdateError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise AlreadyResolved() from error
        raise
    return alert

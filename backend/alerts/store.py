"""Alert records: saved, read by mine, status or waybill, and resolved once."""

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from backend.alerts.models import Alert
from backend.common import store as common_store


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


def resolve(alert, *, status, by, reason, now_ms):
    """Close an open alert; AlreadyResolved if it was closed meanwhile."""
    try:
        alert.update(
            actions=[
                Alert.status.set(status),
                Alert.resolved_at.set(now_ms),
                Alert.resolved_by.set(by),
                Alert.resolution_reason.set(reason),
            ],
            condition=Alert.status == "open",
        )
    except UpdateError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise AlreadyResolved() from error
        raise
    return alert

"""Raising alerts (and holding the truck), showing them to gate staff and dispatch, resolving them."""
import logging

from backend.accounts import store as accounts_store
from backend.alerts import store
from backend.alerts.models import Alert
from backend.common.errors import ApiError, Conflict, NotFound, field_error
from backend.common.ids import new_id
from backend.waybills import service as waybills_service

KINDS = ("fake_plate", "dual_id_mismatch", "weighing")
OUTCOMES = ("cleared", "confirmed")
log = logging.getLogger("coalhaul.alerts")


def hold_waybill(*, waybill_id, reason, actor, now_ms):
    """Hold a waybill if it can be held; True when it is held now (already held counts)."""
    try:
        waybills_service.hold(waybill_id=waybill_id, reason=reason, actor=actor, now_ms=now_ms)
        return True
    except Conflict as error:
        return error.details.get("state") == "held"


def raise_alert(*, kind, mine_id, reason, actor, now_ms, waybill_id=None, hold=True, **facts):
    """Record an alert with its evidence and, when it names a waybill, hold that waybill."""
    if kind not in KINDS:
        raise ValueError(f"unknown alert kind {kind}")
    alert = Alert(new_id("al"), kind=kind, mine_id=mine_id, reason=reason, waybill_id=waybill_id,
                  created_at=now_ms, **facts)
    if waybill_id and hold and hold_waybill(waybill_id=waybill_id, reason=reason, actor=actor, now_ms=now_ms):
        alert.held = "held"
    store.save(alert)
    log.info("alert %s %s at %s: %s", alert.alert_id, kind, mine_id, reason)
    return alert


def _may_see(principal, alert):
    if principal.role in ("dispatcher", "admin"):
        return True
    return principal.role == "gate" and bool(principal.mine_id) and principal.mine_id == alert.mine_id


def get_alert(*, principal, alert_id):
    """An alert for gate staff of its mine or the dispatch centre; 404 for anyone else."""
    alert = store.get(alert_id)
    if alert is None or not _may_see(principal, alert):
        raise NotFound("alert_not_found", "alert not found")
    return alert


def list_alerts(*, principal, mine_id, status, limit, last_evaluated_key):
    """Gate staff see their mine's alerts; the dispatch centre any mine's, or every open one."""
    if principal.role == "gate":
        if mine_id and mine_id != principal.mine_id:
            raise ApiError("forbidden_tenant", "gate staff see only their own mine", status=403)
        mine_id = principal.mine_id
    if mine_id:
        return store.list_by_mine(mine_id, status=status, limit=limit, last_evaluated_key=last_evaluated_key)
    return store.list_by_status(status or "open", limit=limit, last_evaluated_key=last_evaluated_key)


def _clear(alert, *, actor, reason, now_ms):
    # Another open alert on the same truck keeps it held: one person's "all clear" is not everyone's.
    if not alert.waybill_id or store.open_for_waybill(alert.waybill_id):
        return
    waybill = waybills_service.get(alert.waybill_id)
    if waybill.state == "held":
        waybills_service.unhold(waybill_id=alert.waybill_id, reason=f"cleared: {reason}", actor=actor, now_ms=now_ms)


def _confirm(alert, *, reason, now_ms):
    if alert.vehicle_id:
        accounts_store.set_vehicle_status(alert.vehicle_id, status="blocked", reason=f"{alert.kind}: {reason}",
                                          now_ms=now_ms)


def resolve(*, principal, alert_id, outcome, reason, now_ms):
    """Cleared lifts the hold; confirmed blocks the vehicle and leaves the waybill held."""
    if outcome not in OUTCOMES:
        raise field_error("outcome", f"one of {', '.join(OUTCOMES)}")
    if not (reason or "").strip():
        raise field_error("reason", "say why")
    alert = get_alert(principal=principal, alert_id=alert_id)
    try:
        store.resolve(alert, status=outcome, by=principal.user_id, reason=reason.strip(), now_ms=now_ms)
    except store.AlreadyResolved:
        raise Conflict("alert_resolved", "this alert was already resolved",
                       details={"status": store.get(alert_id).status}) from None
    if outcome == "cleared":
        _clear(alert, actor=principal, reason=reason.strip(), now_ms=now_ms)
    else:
        _confirm(alert, reason=reason.strip(), now_ms=now_ms)
    return store.get(alert_id)


def alert_view(alert):
    """An alert as the API returns it."""
    names = ("kind", "status", "mine_id", "plate", "vehicle_id", "waybill_id", "sighting_id", "ticket_id",
             "reason", "score", "threshold", "signals", "rules", "evidence", "created_at", "resolved_at",
             "resolved_by", "resolution_reason")
    view = {name: getattr(alert, name) for name in names}
    view["id"] = alert.alert_id
    view["held"] = alert.held == "held"
    return view

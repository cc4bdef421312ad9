"""Raising alerts (and holding the truck), showing them to gate staff and dispatch, resolving them."""

import logging

from backend import events
from backend.accounts import service as accounts_service
from backend.alerts import store
from backend.alerts.models import Alert
from backend.common.errors import ApiError, Conflict, NotFound, field_error
from backend.common.ids import new_id
from backend.waybills import service as waybills_service

GATE_KINDS = ("fake_plate", "dual_id_mismatch", "weighing")
TRIP_KINDS = ("route_deviation", "long_stop", "signal_lost")  # a truck on the road: told about, never held
MONEY_KINDS = ("ledger_mismatch", "payment")  # books out of balance; a refused payment notification
NOTIFY_KINDS = ("notify_failed",)  # a must-deliver SMS that did not reach the phone (notifications)
COMPLIANCE_KINDS = ("certificate_expiring", "regfeed_overdue")  # papers to renew; a document not accepted
KINDS = GATE_KINDS + TRIP_KINDS + MONEY_KINDS + COMPLIANCE_KINDS + NOTIFY_KINDS
TRUST_KINDS = ("complaint_overdue",)  # a complaint unanswered after 24 h (backend/trust)
KINDS += TRUST_KINDS
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
    alert = Alert(
        new_id("al"), kind=kind, mine_id=mine_id, reason=reason, waybill_id=waybill_id, created_at=now_ms, **facts
    )
    if waybill_id and hold and hold_waybill(waybill_id=waybill_id, reason=reason, actor=actor, now_ms=now_ms):
        alert.held = "held"
    store.save(alert)
    log.info("alert %s %s at %s: %s", alert.alert_id, kind, mine_id, reason)
    return alert


def episode_alert_id(kind, episode):
    """A trip alert's id follows from its episode, so a replayed batch cannot raise it twice."""
    return f"al_{kind}_{episode}"


def raise_episode_alert(*, kind, episode, mine_id, reason, now_ms, **facts):
    """A trip alert that holds nothing, raised once per episode; None when it was raised already."""
    if kind not in TRIP_KINDS:
        raise ValueError(f"not a trip alert kind {kind}")
    alert = Alert(
        episode_alert_id(kind, episode), kind=kind, mine_id=mine_id, reason=reason, created_at=now_ms, **facts
    )
    if not store.save_if_new(alert):
        return None
    log.info("alert %s %s on %s: %s", alert.alert_id, kind, alert.waybill_id, reason)
    events.publish("trip_alert_raised", alert=alert, now_ms=now_ms)  # e.g. a gap in the track (credit)
    return alert


def clear_episode_alerts(*, kind, waybill_id, reason, now_ms):
    """Close a waybill's open trip alerts of one kind whose condition ended by itself (its signal came back)."""
    cleared = 0
    for alert in store.open_for_waybill(waybill_id):
        if alert.kind == kind:
            try:
                store.resolve(alert, status="cleared", by="system", reason=reason, now_ms=now_ms)
                cleared += 1
            except store.AlreadyResolved:
                pass
    return cleared


def reweigh_steps(*, waybill_id, by, reason, now_ms):
    """Steps closing a waybill's open weighing alerts as the gate sends the truck back to re-weigh (in the move's
    transaction); an open alert of another kind holding it (a fake plate) is not answered by a re-weighing."""
    open_alerts = store.open_for_waybill(waybill_id)
    others = [a.alert_id for a in open_alerts if a.held == "held" and a.kind != "weighing"]
    if others:
        raise Conflict(
            "other_alert_open", "another open alert holds this truck: resolve it first", details={"alert_ids": others}
        )
    return [
        store.resolve_op(a, status="cleared", by=by, reason=reason, now_ms=now_ms)
        for a in open_alerts
        if a.kind == "weighing"
    ]


def _may_see(principal, alert):
    if principal.role in ("dispatcher", "admin"):
        return True
    if principal.role == "carrier":
        return bool(principal.org_id) and principal.org_id == alert.carrier_id
    return (
        principal.role == "gate"
        and bool(principal.mine_id)
        and principal.mine_id == alert.mine_id
        and alert.kind in GATE_KINDS
    )


def get_alert(*, principal, alert_id):
    """An alert for gate staff of its mine or the dispatch centre; 404 for anyone else."""
    alert = store.get(alert_id)
    if alert is None or not _may_see(principal, alert):
        raise NotFound("alert_not_found", "alert not found")
    return alert


def list_alerts(*, principal, mine_id, status, limit, last_evaluated_key):
    """Gate staff see their mine's gate alerts; a carrier its trucks' trip alerts; dispatch one mine's or all."""
    if principal.role == "carrier":
        if not principal.org_id:
            return [], None
        return store.list_by_carrier(
            principal.org_id, status=status, limit=limit, last_evaluated_key=last_evaluated_key
        )
    if principal.role == "gate":
        if mine_id and mine_id != principal.mine_id:
            raise ApiError("forbidden_tenant", "gate staff see only their own mine", status=403)
        return store.list_by_mine(
            principal.mine_id, status=status, limit=limit, last_evaluated_key=last_evaluated_key, kinds=GATE_KINDS
        )
    if mine_id:
        return store.list_by_mine(mine_id, status=status, limit=limit, last_evaluated_key=last_evaluated_key)
    if status:
        return store.list_by_status(status, limit=limit, last_evaluated_key=last_evaluated_key)
    return store.list_all(limit=limit, last_evaluated_key=last_evaluated_key)  # 全部 means all, not only open


def _clear(alert, *, actor, reason, now_ms):
    # Only an alert that held the waybill lifts a hold (a trip alert never did; a hold may be someone else's),
    # and another open holding alert keeps it: one person's "all clear" is not everyone's.
    if alert.held != "held" or not alert.waybill_id or store.open_holding_for_waybill(alert.waybill_id):
        return
    waybill = waybills_service.get(alert.waybill_id)
    if waybill.state == "held":
        moved = waybills_service.unhold(
            waybill_id=alert.waybill_id, reason=f"cleared: {reason}", actor=actor, now_ms=now_ms
        )
        if moved.state == "gross_weighed":  # a held gross counts only now: the loaded truck's money moves (events)
            events.publish("waybill_weighed_out", waybill_id=moved.waybill_id, now_ms=now_ms, waybill=moved)


def _confirm(alert, *, reason, now_ms):
    # A confirmed detour or stop is on the record; blocking the truck is for a gate alert's fraud or overload.
    if alert.vehicle_id and alert.kind in GATE_KINDS:
        accounts_service.set_vehicle_status(
            alert.vehicle_id, status="blocked", reason=f"{alert.kind}: {reason}", now_ms=now_ms
        )
    if alert.kind == "fake_plate":  # the driver's credit: score 0 and suspended pending review (backend/trust)
        events.publish(
            "fake_plate_confirmed",
            waybill_id=alert.waybill_id,
            vehicle_id=alert.vehicle_id,
            alert_id=alert.alert_id,
            now_ms=now_ms,
        )


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
        raise Conflict(
            "alert_resolved", "this alert was already resolved", details={"status": store.get(alert_id).status}
        ) from None
    if outcome == "cleared":
        _clear(alert, actor=principal, reason=reason.strip(), now_ms=now_ms)
    else:
        _confirm(alert, reason=reason.strip(), now_ms=now_ms)
    return store.get(alert_id)

"""Release control at the gate, the driver's own booking status, and the gate pass.

Other domains call `admit` (the gate: QR + plate) and `gate_pass.verify_pass`; tracking calls
`checkin.process_fix`.
"""
from backend.appointments import gate_pass, queue, store
from backend.appointments.common import booking_view, own_booking, require_mine, retry_busy
from backend.appointments.planning import MINUTE_MS
from backend.appointments.settings import rules
from backend.common.errors import ApiError, field_error
from backend.waybills import service as waybills

RECENT_MS = 86_400_000


def admit(*, waybill_id, actor, now_ms, override_reason=None):
    """Let a truck through the gate: only a called (so checked-in) truck, unless staff override with a reason."""
    waybill = waybills.get(waybill_id)
    if getattr(actor, "mine_id", None) and actor.mine_id != waybill.mine_id:
        raise ApiError("wrong_mine", "this truck is booked at another mine", status=403)
    booking = store.get_booking(waybill.booking_id) if waybill.booking_id else None
    is_called = waybill.state == "called" and booking is not None and booking.stage == "called"
    reason = (override_reason or "").strip() or None
    if not is_called and not reason:
        raise ApiError("not_called", "only a called, checked-in truck may enter; override with a reason if needed",
                       status=409, details={"state": waybill.state})
    ops = []
    if booking is not None and booking.status == "active":
        ops.append(store.booking_update_op(booking.booking_id, store.ended_changes("entered", reason, now_ms)))
        counter = {"called": "q_done", "checked_in": "q_left"}.get(booking.stage)  # the window's queue counters
        if counter:
            ops.append(store.queue_count_op(booking.mine_id, booking.slot_start_ms, counter))
    action = "enter" if is_called else "enter_override"
    entered = retry_busy(lambda: waybills.transition(waybill_id=waybill_id, action=action, actor=actor, now_ms=now_ms,
                                                     reason=reason, extra_ops=ops))
    if booking is not None:
        store.record_event(mine_id=waybill.mine_id, action="admit" if is_called else "override", actor=actor,
                           at=now_ms, booking=booking, reason=reason, detail={"from_state": waybill.state})
    else:
        store.record_event(mine_id=waybill.mine_id, action="override", actor=actor, at=now_ms, reason=reason,
                           detail={"from_state": waybill.state, "waybill_id": waybill_id})
    return entered


def my_bookings(*, principal, now_ms):
    """The driver's active bookings with queue place, plus recently ended ones (closed / expired notices)."""
    items, notices = [], []
    for booking in store.driver_recent(principal.user_id, now_ms - 3 * RECENT_MS):
        view = booking_view(booking)
        if booking.status == "active":
            view["queue"] = queue.position_of(booking, now_ms=now_ms) if booking.stage == "checked_in" else None
            items.append(view)
        elif booking.status in ("closed", "expired") and booking.updated_at >= now_ms - RECENT_MS:
            notices.append(view)
    items.sort(key=lambda v: v["slot_start_ms"])
    return {"items": items, "notices": notices}


def issue_pass(*, principal, booking_id, now_ms):
    """The signed gate pass for an active booking, as a token and an SVG QR code."""
    booking = own_booking(principal, booking_id)
    claims = {"waybill_id": booking.waybill_id, "vehicle_id": booking.vehicle_id, "plate": booking.plate,
              "slot_id": booking.slot_id, "mine_id": booking.mine_id,
              "exp": booking.slot_end_ms + rules().late_minutes * MINUTE_MS}
    token = gate_pass.sign(claims)
    return {"booking_id": booking_id, "token": token, "claims": claims, "qr_svg": gate_pass.qr_svg(token)}


def check_pass(*, principal, token, now_ms):
    """Gate staff verify a scanned pass (the same check their scanner does offline)."""
    claims = gate_pass.verify_pass(token, now_ms=now_ms)
    require_mine(principal, claims["mine_id"])
    waybill = waybills.get(claims["waybill_id"])
    return {"claims": claims, "waybill_state": waybill.state, "may_enter": waybill.state == "called"}


def mine_events(*, principal, mine_id, limit, last_evaluated_key):
    """Who changed the queue, when and why (dispatch centre, admins, the mine's own gate)."""
    require_mine(principal, mine_id)
    if limit < 1:
        raise field_error("limit", "at least 1")
    return store.events_page(mine_id, limit=limit, last_evaluated_key=last_evaluated_key)

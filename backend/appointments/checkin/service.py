"""Check-in: automatic from position fixes inside the booked mine's fences (debounced), or manual confirmed
at the gate. Checking in joins the window's line (a place from the window's counters) in one transaction."""

from backend import events
from backend.appointments.booking import service as booking_service
from backend.appointments.checkin import store
from backend.appointments.checkin.models import CheckinDebounce
from backend.appointments.common import require_mine, retry_busy
from backend.appointments.log import service as log
from backend.appointments.settings import rules
from backend.appointments.windows import service as windows
from backend.appointments.windows.planning import MINUTE_MS
from backend.common.errors import ApiError, Conflict, field_error
from backend.geofences import service as geofences
from backend.waybills import service as waybills
from backend.waybills.service import SystemActor

CHECKIN_KINDS = ("gate", "parking")  # inside the gate area or the mine's waiting lot counts as arrived
FENCE_ACTOR = SystemActor("geofence")


def window_rule(booking, at_ms):
    """None when at_ms is inside the check-in window around the slot, else 'too_early' / 'too_late'."""
    r = rules()
    if at_ms < booking.slot_start_ms - r.early_minutes * MINUTE_MS:
        return "too_early"
    if at_ms > booking.slot_end_ms + r.late_minutes * MINUTE_MS:
        return "too_late"
    return None


def _active_booking(vehicle_id, driver_id, now_ms):
    bookings = booking_service.vehicle_active(vehicle_id) if vehicle_id else []
    if not bookings and driver_id:
        recent = booking_service.driver_recent(driver_id, now_ms - 3 * 86_400_000)
        bookings = [b for b in recent if b.status == "active"]
    bookings = [b for b in bookings if b.stage in ("booked", "checked_in")]
    return min(bookings, key=lambda b: b.slot_start_ms) if bookings else None


def _settle(vehicle_id, inside, at_ms):
    """Update the vehicle's debounce state; (settled side or None, state). Out-of-order fixes are ignored."""
    r = rules()
    state = store.get_debounce(vehicle_id)
    if state is not None and at_ms <= state.last_fix_ms:
        return None, state
    if state is None or bool(state.inside) != inside:
        state = CheckinDebounce(vehicle_id, inside=int(inside), streak=1, since_ms=at_ms, last_fix_ms=at_ms)
    else:
        state.streak, state.last_fix_ms = state.streak + 1, at_ms
    store.save_debounce(state)
    settled = state.streak >= r.debounce_fixes or at_ms - state.since_ms >= r.debounce_seconds * 1000
    return (inside if settled else None), state


def check_in(booking, *, actor, at_ms, now_ms, method, reason=None, where=None):
    """Join the queue: waybill booked → checked_in with the next place in the window's line, one transaction
    with the lot's count (refused with 409 lot_full at the bound: the truck waits outside) and the log entry."""

    def attempt():
        seq, join = windows.join_step(booking)
        ops = [
            booking_service.change_step(
                booking.booking_id,
                {
                    "stage": "checked_in",
                    "checked_in_at": at_ms,
                    "queue_at": at_ms,
                    "queue_seq": seq,
                    "checkin_method": method,
                    "updated_at": now_ms,
                },
                stage="booked",
            ),
            join,
            windows.lot_join_step(booking.mine_id, bound=rules().lot_max),
            log.step_reading(
                mine_id=booking.mine_id,
                action="check_in",
                actor=actor,
                at=now_ms,
                booking=booking,
                reason=reason,
                detail={"method": method, "queue_key": [booking.slot_start_ms, seq]},
            ),
        ]
        return waybills.transition(
            waybill_id=booking.waybill_id,
            action="check_in",
            actor=actor,
            now_ms=now_ms,
            where=where,
            reason=reason,
            extra_ops=ops,
        )

    retry_busy(attempt)
    events.publish("booking_checked_in", booking=booking, at_ms=at_ms, now_ms=now_ms)  # on time? (credit)
    return booking_service.find(booking.booking_id)


def _check_out(booking, *, now_ms, where):
    ops = [
        booking_service.change_step(
            booking.booking_id,
            {
                "stage": "booked",
                "checked_in_at": None,
                "queue_at": None,
                "queue_seq": None,
                "checkin_method": None,
                "updated_at": now_ms,
            },
            stage="checked_in",
        ),
        windows.count_step(booking.mine_id, booking.slot_start_ms, "q_left"),
        windows.stats_step(booking.mine_id, in_lot=-1),
        log.step_reading(
            mine_id=booking.mine_id,
            action="check_out",
            actor=FENCE_ACTOR,
            at=now_ms,
            booking=booking,
            reason="left the fence",
        ),
    ]
    retry_busy(
        lambda: waybills.transition(
            waybill_id=booking.waybill_id,
            action="check_out",
            actor=FENCE_ACTOR,
            now_ms=now_ms,
            where=where,
            reason="left the fence",
            extra_ops=ops,
        )
    )


def process_fix(*, vehicle_id, driver_id=None, lon, lat, accuracy_m, at_ms, now_ms):
    """Feed one accepted position fix (phone or terminal); checks the truck in or out when the fence state settles."""
    if accuracy_m is None or accuracy_m > rules().max_accuracy_m:
        return {"result": "ignored_accuracy"}
    booking = _active_booking(vehicle_id, driver_id, now_ms)
    if booking is None:
        return {"result": "no_booking"}
    inside = bool(geofences.fences_at(lon=lon, lat=lat, now_ms=now_ms, kinds=CHECKIN_KINDS, mine_id=booking.mine_id))
    settled, _ = _settle(booking.vehicle_id, inside, at_ms)
    where = {"type": "Point", "coordinates": [lon, lat]}
    result = {"result": "inside" if inside else "outside", "booking_id": booking.booking_id, "stage": booking.stage}
    if settled is True and booking.stage == "booked":
        rule = window_rule(booking, at_ms)
        if rule:
            return dict(result, result=rule)
        try:
            booking = check_in(booking, actor=FENCE_ACTOR, at_ms=at_ms, now_ms=now_ms, method="auto", where=where)
        except Conflict as error:
            return dict(result, result="lot_full" if error.code == "lot_full" else "changed")
        return dict(result, result="checked_in", stage=booking.stage)
    if settled is False and booking.stage == "checked_in" and booking.checkin_method == "auto":
        try:
            _check_out(booking, now_ms=now_ms, where=where)
        except Conflict:
            return dict(result, result="changed")
        return dict(result, result="checked_out", stage="booked")
    return result


def process_fixes(*, vehicle_id, driver_id=None, fixes, now_ms):
    """Feed one vehicle's batch of fixes, oldest first; a truck with no booking costs one lookup a batch, not a fix."""
    usable = [f for f in fixes if f.get("accuracy_m") is not None and f["accuracy_m"] <= rules().max_accuracy_m]
    if not usable or _active_booking(vehicle_id, driver_id, now_ms) is None:
        return []
    return [
        process_fix(
            vehicle_id=vehicle_id,
            driver_id=driver_id,
            lon=f["lon"],
            lat=f["lat"],
            accuracy_m=f["accuracy_m"],
            at_ms=f["at_ms"],
            now_ms=now_ms,
        )
        for f in usable
    ]


def request_manual(*, principal, booking_id, reason, now_ms):
    """The driver asks the gate to check them in by hand (no GPS), with a reason."""
    booking = booking_service.own(principal, booking_id)
    if not (reason or "").strip():
        raise field_error("reason", "say why the automatic check-in did not work")
    if booking.stage != "booked":
        raise Conflict("already_checked_in", f"this booking is {booking.stage}")
    rule = window_rule(booking, now_ms)
    if rule:
        raise Conflict(rule, "outside the check-in window around your booked slot", details={"rule": rule})
    booking_service.change(
        booking.booking_id,
        {"manual_reason": reason.strip(), "manual_requested_at": now_ms, "updated_at": now_ms},
        stage="booked",
    )
    log.record(
        mine_id=booking.mine_id, action="manual_request", actor=principal, at=now_ms, booking=booking, reason=reason
    )
    return booking_service.find(booking_id)


def confirm_manual(*, principal, booking_id, now_ms):
    """Gate staff confirm a driver's manual check-in request."""
    booking = booking_service.get(booking_id)
    require_mine(principal, booking.mine_id)
    if booking.status != "active" or not booking.manual_requested_at:
        raise ApiError("no_manual_request", "no pending manual check-in for this booking", status=409)
    return check_in(
        booking, actor=principal, at_ms=now_ms, now_ms=now_ms, method="manual", reason=booking.manual_reason
    )


def pending_manual(*, principal, mine_id):
    """Manual check-in requests waiting for the gate."""
    require_mine(principal, mine_id)
    return sorted(
        (b for b in booking_service.mine_active(mine_id) if b.stage == "booked" and b.manual_requested_at),
        key=lambda b: b.manual_requested_at,
    )

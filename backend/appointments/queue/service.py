"""The virtual queue: order, positions and predicted call times, calling the next N, requeue, no-show expiry,
and release control at the gate (`admit`, which the gate domain calls)."""

from backend.appointments.booking import service as booking_service
from backend.appointments.common import require_mine, retry_busy
from backend.appointments.log import service as log
from backend.appointments.settings import rules
from backend.appointments.windows import service as windows
from backend.appointments.windows.planning import MINUTE_MS, predict_call_ms
from backend.auth import service as auth_service
from backend.catalogue import service as catalogue_service
from backend.common.errors import ApiError, Conflict
from backend.common.schemas import Joined
from backend.notifications import service as notifications
from backend.waybills import service as waybills
from backend.waybills.service import SystemActor

EXPIRY_ACTOR = SystemActor("job:expire_no_shows")


LOOKBACK_MS = 86_400_000  # windows older than a day hold no waiting truck (no-shows expire within hours)
LOOKAHEAD_MS = 86_400_000
RECENT_MS = 86_400_000  # ended bookings stay on the driver's screen as notices this long
NO_SEQ = float("inf")


def _waiting(bookings):
    """Checked-in trucks in queue order: by window, then place in its line (the check-in order; the check-in
    time for a truck that joined before lines had places)."""
    waiting = [b for b in bookings if b.stage == "checked_in"]
    return sorted(waiting, key=lambda b: (b.slot_start_ms, b.queue_seq or NO_SEQ, b.queue_at or 0, b.booking_id))


def board(*, mine_id, now_ms, bookings=None):
    """The mine's queue: waiting trucks in order with predictions, called trucks, and those still to check in."""
    mine = catalogue_service.get_mine(mine_id)
    bookings = booking_service.mine_active(mine_id) if bookings is None else bookings
    rate = mine.loading_lanes * mine.trucks_per_lane_hour
    lead_ms = mine.parking_drive_minutes * MINUTE_MS
    waiting = _waiting(bookings)
    called = sorted((b for b in bookings if b.stage == "called"), key=lambda b: b.called_at or 0)
    expected = sorted((b for b in bookings if b.stage == "booked"), key=lambda b: (b.slot_start_ms, b.created_at))
    rows = [
        Joined(
            booking,
            position=position,
            predicted_call_ms=predict_call_ms(
                ahead=position - 1 + len(called),
                rate_per_hour=rate,
                now_ms=now_ms - now_ms % MINUTE_MS,
                slot_start_ms=booking.slot_start_ms,
                lead_ms=lead_ms,
            ),
        )
        for position, booking in enumerate(waiting, start=1)
    ]
    return {
        "mine_id": mine_id,
        "rate_per_hour": rate,
        "lead_minutes": mine.parking_drive_minutes,
        "waiting": rows,
        "called": called,
        "expected": expected,
    }


def position_of(booking, *, now_ms):
    """A driver's own place from the window counters: one Query of the mine's windows and the mine, whatever the queue.

    Earlier windows count exactly (waiting = joined − called − left). Inside the driver's own window the
    trucks ahead are (place − 1 − calls made there), capped by those waiting: exact unless a truck ahead
    left without a call (checked out, let in by override) — then the position shown is at most that many
    places too high, never too low. A truck that joined before places existed reads the whole queue.
    """
    if not booking.queue_seq:
        return _position_from_board(booking, now_ms=now_ms)
    counters = windows.queue_counters(
        booking.mine_id, booking.slot_start_ms - LOOKBACK_MS, booking.slot_start_ms + LOOKAHEAD_MS
    )
    ahead = waiting = on_call = 0
    for w in counters:
        joined, called, left, done = (w.q_joined or 0), (w.q_called or 0), (w.q_left or 0), (w.q_done or 0)
        in_line = max(joined - called - left, 0)
        waiting += in_line
        on_call += max(called - done, 0)
        if w.start_ms < booking.slot_start_ms:
            ahead += in_line
        elif w.start_ms == booking.slot_start_ms:
            ahead += max(min(booking.queue_seq - 1 - called, in_line - 1), 0)
    mine = catalogue_service.get_mine(booking.mine_id)
    predicted = predict_call_ms(
        ahead=ahead + on_call,
        rate_per_hour=mine.loading_lanes * mine.trucks_per_lane_hour,
        now_ms=now_ms - now_ms % MINUTE_MS,
        slot_start_ms=booking.slot_start_ms,
        lead_ms=mine.parking_drive_minutes * MINUTE_MS,
    )
    return {"position": ahead + 1, "waiting": max(waiting, ahead + 1), "predicted_call_ms": predicted}


def _position_from_board(booking, *, now_ms):
    queue = board(mine_id=booking.mine_id, now_ms=now_ms)
    for row in queue["waiting"]:
        if row.booking_id == booking.booking_id:
            return {
                "position": row.position,
                "waiting": len(queue["waiting"]),
                "predicted_call_ms": row.predicted_call_ms,
            }
    return {"position": None, "waiting": len(queue["waiting"]), "predicted_call_ms": None}


def call_next(*, principal, mine_id, count, now_ms):
    """Call the first `count` waiting trucks; each must reach the gate within the drive from the lot plus grace."""
    require_mine(principal, mine_id)
    mine = catalogue_service.get_mine(mine_id)
    deadline = now_ms + (mine.parking_drive_minutes + rules().grace_minutes) * MINUTE_MS
    waiting = _waiting(booking_service.mine_active(mine_id))
    called = []
    for booking in waiting[:count]:
        ops = [
            booking_service.change_step(
                booking.booking_id,
                {"stage": "called", "called_at": now_ms, "call_deadline_ms": deadline, "updated_at": now_ms},
                stage="checked_in",
            ),
            windows.count_step(mine_id, booking.slot_start_ms, "q_called"),
        ]
        try:
            retry_busy(
                lambda b=booking, steps=ops: waybills.transition(
                    waybill_id=b.waybill_id, action="call", actor=principal, now_ms=now_ms, extra_ops=steps
                )
            )
        except Conflict:
            continue  # it left the queue meanwhile (checked out, held): the next one is called next time
        log.record(
            mine_id=mine_id,
            action="call",
            actor=principal,
            at=now_ms,
            booking=booking,
            detail={"deadline_ms": deadline},
        )
        notifications.notify(
            booking.driver_id, {"type": "called", "booking_id": booking.booking_id, "deadline_ms": deadline}
        )
        called.append(booking_service.find(booking.booking_id))
    return called


def requeue(booking, *, actor, now_ms, reason):
    """A called truck that did not come goes back behind the trucks of its window, once."""

    def attempt():
        seq, join = windows.join_step(booking, counts=("q_done",))
        ops = [
            booking_service.change_step(
                booking.booking_id,
                {
                    "stage": "checked_in",
                    "queue_at": now_ms,
                    "queue_seq": seq,
                    "called_at": None,
                    "call_deadline_ms": None,
                    "requeues": booking.requeues + 1,
                    "updated_at": now_ms,
                },
                stage="called",
            ),
            join,
        ]
        return waybills.transition(
            waybill_id=booking.waybill_id, action="requeue", actor=actor, now_ms=now_ms, reason=reason, extra_ops=ops
        )

    retry_busy(attempt)
    log.record(mine_id=booking.mine_id, action="requeue", actor=actor, at=now_ms, booking=booking, reason=reason)


def expire(booking, *, actor, now_ms, reason):
    """No-show: the seat is released, the waybill goes back to assigned and the driver's record is marked."""
    done = ("q_done",) if booking.stage == "called" else ()  # a called truck leaves the window's call count
    ops = [
        windows.release_seat_step(booking.mine_id, booking.slot_start_ms, now_ms, counts=done),
        booking_service.end_step(booking.booking_id, "expired", reason, now_ms),
        auth_service.no_show_step(booking.driver_id),
    ]
    retry_busy(
        lambda: waybills.transition(
            waybill_id=booking.waybill_id,
            action="expire_booking",
            actor=actor,
            now_ms=now_ms,
            reason=reason,
            changes={"booking_id": None, "slot_id": None},
            extra_ops=ops,
        )
    )
    log.record(mine_id=booking.mine_id, action="expire", actor=actor, at=now_ms, booking=booking, reason=reason)
    notifications.notify(booking.driver_id, {"type": "expired", "booking_id": booking.booking_id, "reason": reason})


def _overdue_action(booking, now_ms, late_ms):
    if booking.stage == "called" and booking.call_deadline_ms and booking.call_deadline_ms < now_ms:
        return "requeue" if booking.requeues < 1 else "expire"
    if booking.stage == "booked" and now_ms > booking.slot_end_ms + late_ms:
        return "expire"
    return None


def expire_no_shows(*, now_ms, mine_ids=None):
    """The scheduled job: requeue once, then expire, called trucks past their deadline; expire never-arrived ones."""
    late_ms = rules().late_minutes * MINUTE_MS
    counts = {"requeued": 0, "expired": 0}
    for mine in catalogue_service.list_mines():
        if mine_ids and mine.mine_id not in mine_ids:
            continue
        for booking in booking_service.mine_active(mine.mine_id):
            action = _overdue_action(booking, now_ms, late_ms)
            try:
                if action == "requeue":
                    requeue(booking, actor=EXPIRY_ACTOR, now_ms=now_ms, reason="called but not at the gate in time")
                elif action == "expire":
                    why = "no-show after a second call" if booking.stage == "called" else "never checked in"
                    expire(booking, actor=EXPIRY_ACTOR, now_ms=now_ms, reason=why)
            except ApiError:
                continue  # moved on meanwhile (entered, cancelled): the next run sees the fresh state
            if action:
                counts["requeued" if action == "requeue" else "expired"] += 1
    return counts


def admit(*, waybill_id, actor, now_ms, override_reason=None):
    """Let a truck through the gate: only a called (so checked-in) truck, unless staff override with a reason."""
    waybill = waybills.get(waybill_id)
    if getattr(actor, "mine_id", None) and actor.mine_id != waybill.mine_id:
        raise ApiError("wrong_mine", "this truck is booked at another mine", status=403)
    booking = booking_service.find(waybill.booking_id) if waybill.booking_id else None
    is_called = waybill.state == "called" and booking is not None and booking.stage == "called"
    reason = (override_reason or "").strip() or None
    if not is_called and not reason:
        raise ApiError(
            "not_called",
            "only a called, checked-in truck may enter; override with a reason if needed",
            status=409,
            details={"state": waybill.state},
        )
    ops = []
    if booking is not None and booking.status == "active":
        ops.append(booking_service.end_step(booking.booking_id, "entered", reason, now_ms))
        counter = {"called": "q_done", "checked_in": "q_left"}.get(booking.stage)  # the window's queue counters
        if counter:
            ops.append(windows.count_step(booking.mine_id, booking.slot_start_ms, counter))
    action = "enter" if is_called else "enter_override"
    entered = retry_busy(
        lambda: waybills.transition(
            waybill_id=waybill_id, action=action, actor=actor, now_ms=now_ms, reason=reason, extra_ops=ops
        )
    )
    if booking is not None:
        log.record(
            mine_id=waybill.mine_id,
            action="admit" if is_called else "override",
            actor=actor,
            at=now_ms,
            booking=booking,
            reason=reason,
            detail={"from_state": waybill.state},
        )
    else:
        log.record(
            mine_id=waybill.mine_id,
            action="override",
            actor=actor,
            at=now_ms,
            reason=reason,
            detail={"from_state": waybill.state, "waybill_id": waybill_id},
        )
    return entered


def my_bookings(*, principal, now_ms):
    """The driver's active bookings with queue place, plus recently ended ones (closed / expired notices)."""
    items, notices = [], []
    for booking in booking_service.driver_recent(principal.user_id, now_ms - 3 * RECENT_MS):
        if booking.status == "active":
            place = position_of(booking, now_ms=now_ms) if booking.stage == "checked_in" else None
            items.append(Joined(booking, place=place))
        elif booking.status in ("closed", "expired") and booking.updated_at >= now_ms - RECENT_MS:
            notices.append(booking)
    items.sort(key=lambda b: b.slot_start_ms)
    return {"items": items, "notices": notices}

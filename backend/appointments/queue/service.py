"""The virtual queue: order, positions and predicted call times, calling the next N, requeue, no-show expiry,
and release control at the gate (`admit`, which the gate domain calls)."""

from dataclasses import replace

from backend import events
from backend.appointments.booking import service as booking_service
from backend.appointments.common import require_mine, retry_busy
from backend.appointments.log import service as log
from backend.appointments.queue import planning
from backend.appointments.settings import rules
from backend.appointments.windows import service as windows
from backend.appointments.windows.planning import MINUTE_MS, predict_call_ms
from backend.auth import service as auth_service
from backend.catalogue import service as catalogue_service
from backend.common.errors import ApiError, Conflict, field_error
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
    waiting = [b for b in bookings if b.stage == "checked_in" and not b.held_at]
    return sorted(waiting, key=lambda b: (b.slot_start_ms, b.queue_seq or NO_SEQ, b.queue_at or 0, b.booking_id))


def board(*, mine_id, now_ms, bookings=None):
    """The mine's queue: waiting trucks in order with predictions, called trucks, and those still to check in."""
    mine = catalogue_service.get_mine(mine_id)
    bookings = booking_service.mine_active(mine_id) if bookings is None else bookings
    rate = mine.loading_lanes * mine.trucks_per_lane_hour
    lead_ms = mine.parking_drive_minutes * MINUTE_MS
    waiting = _waiting(bookings)
    called = sorted((b for b in bookings if b.stage == "called" and not b.held_at), key=lambda b: b.called_at or 0)
    expected = sorted(
        (b for b in bookings if b.stage == "booked" and not b.held_at), key=lambda b: (b.slot_start_ms, b.created_at)
    )
    held = sorted((b for b in bookings if b.held_at), key=lambda b: b.held_at)  # at the gate, a person deciding
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
    record = windows.stats(mine_id)
    return {
        "mine_id": mine_id,
        "rate_per_hour": rate,
        "lead_minutes": mine.parking_drive_minutes,
        "call_rule": call_rule(mine, waiting=len(waiting), on_call=len(called), record=record),
        "in_lot": windows.measured(mine, record)["in_lot"],
        "lot_max": rules().lot_max,
        "waiting": rows,
        "called": called,
        "expected": expected,
        "held": held,
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


def call_rule(mine, *, waiting, on_call, record=None):
    """How many to call now: keep on call the trucks the lanes free during the measured drive from the lot
    (measured drive ÷ measured lane cycle × lanes, plus a buffer), minus those already on call."""
    figures = windows.measured(mine, record)
    ahead = planning.calls_ahead(
        drive_ms=figures["drive_ms"], cycle_ms=figures["cycle_ms"], lanes=mine.loading_lanes, buffer=rules().call_buffer
    )
    return {
        "ahead": ahead,
        "count": planning.to_call(waiting=waiting, on_call=on_call, ahead=ahead),
        "drive_ms": figures["drive_ms"],
        "cycle_ms": figures["cycle_ms"],
    }


def _call_one(booking, *, principal, mine_id, now_ms, deadline, action="call", reason=None, detail=None):
    ops = [
        booking_service.change_step(
            booking.booking_id,
            {"stage": "called", "called_at": now_ms, "call_deadline_ms": deadline, "updated_at": now_ms},
            stage="checked_in",
        ),
        windows.count_step(mine_id, booking.slot_start_ms, "q_called"),
        windows.stats_step(mine_id, in_lot=-1),  # it leaves the lot for the gate
        log.step_reading(
            mine_id=mine_id,
            action=action,
            actor=principal,
            at=now_ms,
            booking=booking,
            reason=reason,
            detail={
                "deadline_ms": deadline,
                "queue_key": [booking.slot_start_ms, booking.queue_seq or 0],
                **(detail or {}),
            },
        ),
    ]
    retry_busy(
        lambda: waybills.transition(
            waybill_id=booking.waybill_id, action="call", actor=principal, now_ms=now_ms, reason=reason, extra_ops=ops
        )
    )
    notifications.notify(
        booking.driver_id, {"type": "called", "booking_id": booking.booking_id, "deadline_ms": deadline}
    )
    return booking_service.find(booking.booking_id)


def call_next(*, principal, mine_id, now_ms, count=None, booking_id=None, reason=None):
    """Call waiting trucks in queue order: `count`, or by the call rule (measured drive ÷ lane cycle) when none
    is given. Calling one named truck ahead of others is a skip: refused without a reason (400), recorded with it."""
    require_mine(principal, mine_id)
    mine = catalogue_service.get_mine(mine_id)
    deadline = now_ms + (mine.parking_drive_minutes + rules().grace_minutes) * MINUTE_MS
    bookings = booking_service.mine_active(mine_id)
    waiting = _waiting(bookings)
    if booking_id is not None:
        return [
            _skip(
                waiting,
                booking_id,
                principal=principal,
                mine_id=mine_id,
                now_ms=now_ms,
                deadline=deadline,
                reason=reason,
            )
        ]
    if count is None:
        on_call = sum(1 for b in bookings if b.stage == "called" and not b.held_at)
        count = call_rule(mine, waiting=len(waiting), on_call=on_call)["count"]
    called = []
    for booking in waiting[:count]:
        try:
            called.append(_call_one(booking, principal=principal, mine_id=mine_id, now_ms=now_ms, deadline=deadline))
        except Conflict:
            continue  # it left the queue meanwhile (checked out, held): the next one is called next time
    return called


def _skip(waiting, booking_id, *, principal, mine_id, now_ms, deadline, reason):
    """Call one named waiting truck; passing over trucks ahead of it needs a reason, and names them in the log."""
    ids = [b.booking_id for b in waiting]
    if booking_id not in ids:
        raise Conflict("not_waiting", "this truck is not waiting in the queue", details={"booking_id": booking_id})
    index = ids.index(booking_id)
    reason = (reason or "").strip() or None
    if index and not reason:
        raise field_error("reason", f"calling this truck passes over {index} waiting ahead of it; say why")
    return _call_one(
        waiting[index],
        principal=principal,
        mine_id=mine_id,
        now_ms=now_ms,
        deadline=deadline,
        action="skip" if index else "call",
        reason=reason,
        detail={"passed_over": ids[:index]} if index else None,
    )


def requeue(booking, *, actor, now_ms, reason):
    """A called truck that did not come goes back behind the trucks of its window, once (into the lot's count)."""

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
            windows.lot_join_step(booking.mine_id, bound=rules().lot_max),
            log.step_reading(
                mine_id=booking.mine_id,
                action="requeue",
                actor=actor,
                at=now_ms,
                booking=booking,
                reason=reason,
                detail={"queue_key": [booking.slot_start_ms, seq]},
            ),
        ]
        return waybills.transition(
            waybill_id=booking.waybill_id, action="requeue", actor=actor, now_ms=now_ms, reason=reason, extra_ops=ops
        )

    retry_busy(attempt)


def expire(booking, *, actor, now_ms, reason):
    """No-show: the seat is released, the waybill goes back to assigned and the driver's record is marked."""
    done = ("q_done",) if booking.stage == "called" else ()  # a called truck leaves the window's call count
    ops = [
        windows.release_seat_step(booking.mine_id, booking.slot_start_ms, now_ms, counts=done),
        booking_service.end_step(booking.booking_id, "expired", reason, now_ms),
        auth_service.no_show_step(booking.driver_id),
        windows.stats_step(booking.mine_id, no_shows=1, refills=1 if booking.seat_offered_at else 0),
        log.step_reading(
            mine_id=booking.mine_id, action="no_show", actor=actor, at=now_ms, booking=booking, reason=reason
        ),
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
    notifications.notify(booking.driver_id, {"type": "expired", "booking_id": booking.booking_id, "reason": reason})
    events.publish("booking_expired", booking=booking, now_ms=now_ms)


def _overdue_action(booking, now_ms, late_ms):
    if booking.held_at:
        return None  # held at the gate: a person decides, not the clock (booking/holds.py)
    if booking.stage == "called" and booking.call_deadline_ms and booking.call_deadline_ms < now_ms:
        return "requeue" if booking.requeues < 1 else "expire"
    if booking.stage == "booked" and now_ms > booking.slot_end_ms + late_ms:
        return "expire"
    return None


def expire_no_shows(*, now_ms, mine_ids=None, weighings=None):
    """The scheduled tick: requeue once, then expire, called trucks past their deadline; expire never-arrived
    ones; then seats follow the measured lane cycle (`weighings(mine_id)`: the gate's weighing times), absent
    trucks' seats are offered at once, and standby trucks take every free seat before it is wasted."""
    late_ms = rules().late_minutes * MINUTE_MS
    counts = {"requeued": 0, "expired": 0, "promoted": 0}
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
                continue  # moved on meanwhile (entered, cancelled, lot full): the next run sees the fresh state
            if action:
                counts["requeued" if action == "requeue" else "expired"] += 1
        counts["promoted"] += len(
            fill_seats(mine, now_ms=now_ms, weighings=weighings(mine.mine_id) if weighings else ())
        )
        log.seal_day(mine.mine_id, now_ms)  # bookings' entries still pending join the chain
    return counts


def fill_seats(mine, *, now_ms, weighings=()):
    """Adapt seats to the measured cycle, offer absent trucks' seats, and move standby trucks into free seats."""
    gained = windows.adapt_seats(mine, now_ms=now_ms, weighings=weighings)
    bookings = booking_service.mine_active(mine.mine_id)
    offer_after = rules().no_show_offer_minutes * MINUTE_MS
    day = windows.list_slots(mine_id=mine.mine_id, date=None, now_ms=now_ms)
    slots = {s.start_ms: s for s in day}
    touched = {s.start_ms for s in gained}
    for booking in bookings:
        slot = slots.get(booking.slot_start_ms)
        if booking.stage != "booked" or booking.seat_offered_at or slot is None or slot.end_ms <= now_ms:
            continue
        if _arrive_by(booking) + offer_after > now_ms:
            continue
        # Absent at its time: it keeps its seat (it may still come), and one more is offered to standby.
        try:
            booking_service.change(booking.booking_id, {"seat_offered_at": now_ms}, stage="booked")
        except Conflict:
            continue
        if windows.offer_seat(slot, now_ms=now_ms):
            touched.add(slot.start_ms)
            log.record(
                mine_id=mine.mine_id,
                action="seat_offered",
                actor=EXPIRY_ACTOR,
                at=now_ms,
                booking=booking,
                reason="not at the mine by its time",
            )
    promoted = []
    for start in sorted(set(slots) | touched):
        # Re-read only the windows whose seats changed in this tick; the others as listed above.
        slot = windows.get_slot(f"{mine.mine_id}@{start}") if start in touched else slots[start]
        if slot.status == "open" and slot.end_ms > now_ms and slot.booked < slot.capacity:
            promoted += booking_service.promote_standby(
                mine_id=mine.mine_id, slot=slot, actor=EXPIRY_ACTOR, now_ms=now_ms, bookings=bookings
            )
    return promoted


def admit(*, waybill_id, actor, now_ms, override_reason=None):
    """Let a truck through the gate: only a called (so checked-in) truck, unless staff override with a reason
    (refused with 400 naming override_reason without one); the entry, its person and reason are chained."""
    waybill = waybills.get(waybill_id)
    if getattr(actor, "mine_id", None) and actor.mine_id != waybill.mine_id:
        raise ApiError("wrong_mine", "this truck is booked at another mine", status=403)
    booking = booking_service.find(waybill.booking_id) if waybill.booking_id else None
    is_called = waybill.state == "called" and booking is not None and booking.stage == "called"
    reason = (override_reason or "").strip() or None
    if not is_called and not reason:
        raise field_error(
            "override_reason",
            f"this truck was not called (it is {waybill.state}); letting it in is an override and needs a reason",
            code="not_called",
        )
    ops = []
    queue_key = None
    if booking is not None and booking.status == "active":
        ops.append(booking_service.end_step(booking.booking_id, "entered", reason, now_ms))
        counter = {"called": "q_done", "checked_in": "q_left"}.get(booking.stage)  # the window's queue counters
        if counter:
            ops.append(windows.count_step(booking.mine_id, booking.slot_start_ms, counter))
        drive = now_ms - booking.called_at if booking.stage == "called" and booking.called_at else None
        figures = {"finished": 1, "in_lot": -1 if booking.stage == "checked_in" else 0}
        if drive is not None and 0 < drive < 3 * 3_600_000:  # the measured drive from the lot
            figures.update(drive_ms_total=drive, drive_n=1)
        ops.append(windows.stats_step(booking.mine_id, **figures))
        if booking.queue_seq:
            queue_key = [booking.slot_start_ms, booking.queue_seq]
    ops.append(
        log.step_reading(
            mine_id=waybill.mine_id,
            action="admit" if is_called else "override",
            actor=actor,
            at=now_ms,
            booking=booking,
            reason=reason,
            detail={"from_state": waybill.state, "waybill_id": waybill_id, "queue_key": queue_key},
        )
    )
    action = "enter" if is_called else "enter_override"
    return retry_busy(
        lambda: waybills.transition(
            waybill_id=waybill_id, action=action, actor=actor, now_ms=now_ms, reason=reason, extra_ops=ops
        )
    )


def simulate(*, principal, mine_id, seeds, **given):
    """A simulated day at this mine: the site's lanes, measured cycle, drive and no-show rate and the configured
    window and lot bound, unless the staff give other figures."""
    from backend.appointments.queue import simulation  # pure Python, loaded only when staff ask

    require_mine(principal, mine_id)
    mine = catalogue_service.get_mine(mine_id)
    figures = windows.measured(mine)
    r = replace(rules(), **catalogue_service.slot_template(mine))  # the site's own window template
    site = {
        "lanes": mine.loading_lanes,
        "cycle": figures["cycle_ms"] / MINUTE_MS,
        "drive": figures["drive_ms"] / MINUTE_MS,
        "no_show": figures["no_show_rate"] or simulation.Assumptions.no_show,
        "window": r.window_minutes,
        "open_hour": r.day_start_hour,
        "close_hour": r.day_end_hour,
        "lot_bound": r.lot_max,
        "overbook_max": r.overbook_max,
    }
    site.update({name: value for name, value in given.items() if value is not None})
    result = simulation.summary(simulation.Assumptions(**site), seeds)
    return dict(result, text=simulation.render(result).splitlines())


def _arrive_by(booking):
    """When a booked truck should reach the lot: its seat's share of the window, less the mine's drive from the
    lot and the arrival buffer (the site is cached per process, so polling costs no read)."""
    site, _ = catalogue_service.site_and_lane(booking.mine_id, None)
    drive_ms = (site.parking_drive_minutes if site else 0) * MINUTE_MS
    return planning.arrive_by(
        start_ms=booking.slot_start_ms,
        seat=booking.seat or 0,
        seats=booking.seats or 1,
        window_minutes=(booking.slot_end_ms - booking.slot_start_ms) // MINUTE_MS,
        drive_ms=drive_ms + rules().arrival_buffer_minutes * MINUTE_MS,
    )


def my_bookings(*, principal, now_ms):
    """The driver's active bookings with queue place, plus recently ended ones (closed / expired notices)."""
    items, notices = [], []
    for booking in booking_service.driver_recent(principal.user_id, now_ms - 3 * RECENT_MS):
        if booking.status == "active":
            place = position_of(booking, now_ms=now_ms) if booking.stage == "checked_in" else None
            arrive = _arrive_by(booking) if booking.stage == "booked" else None
            items.append(Joined(booking, place=place, arrive_by_ms=arrive))
        elif booking.status in ("closed", "expired") and booking.updated_at >= now_ms - RECENT_MS:
            notices.append(booking)
    items.sort(key=lambda b: b.slot_start_ms)
    return {"items": items, "notices": notices}

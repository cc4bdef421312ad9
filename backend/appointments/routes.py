"""Appointments API: windows, bookings, check-in, the queue board, call-in, release control, gate passes."""
import hashlib
import json

from flask import current_app, request
from flask_smorest import Blueprint

from backend.appointments import booking, checkin, push, queue, schemas, service, slots
from backend.appointments.common import booking_view, event_view, require_mine, slot_view
from backend.common import idempotency
from backend.common.access import current_principal, roles_required, signed_in
from backend.common.clock import now_ms
from backend.common.pagination import decode_cursor, page

blp = Blueprint("appointments", __name__, url_prefix="/api/appointments",
                description="Mine windows, bookings, check-in, the virtual queue and gate passes")
MINE_STAFF = ("gate", "dispatcher", "admin")


def etagged(schema, body):
    """Reply with an ETag; 304 with no body when the client's copy is current (cheap polling on bad signal)."""
    payload = json.dumps(schema().dump(body), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    tag = hashlib.sha256(payload.encode()).hexdigest()[:24]
    if request.if_none_match.contains(tag):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(payload, mimetype="application/json")
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.route("/mines/<mine_id>/slots", methods=["GET"])
@signed_in
@blp.arguments(schemas.SlotListArgs, location="query")
@blp.response(200, schemas.SlotListSchema)
def list_slots(args, mine_id):
    """A mine's windows on a date (today by default) with free seats."""
    return {"items": [slot_view(s) for s in booking.list_slots(mine_id=mine_id, date=args["date"], now_ms=now_ms())]}


@blp.route("/suggestions", methods=["GET"])
@roles_required("driver")
@blp.arguments(schemas.SuggestArgs, location="query")
@blp.response(200, schemas.SuggestSchema)
def suggest(args):
    """Windows the driver can reach from where they are (ETA from distance and average speed)."""
    return booking.suggestions(principal=current_principal(), now_ms=now_ms(), **args)


@blp.route("/bookings", methods=["POST"])
@roles_required("driver")
@blp.arguments(schemas.BookArgs)
@blp.response(201, schemas.BookingSchema)
@idempotency.recorded_in_transaction(schemas.BookingSchema, booking_view, status=201)
def book(args):
    """Book a window for an assigned waybill (409 slot_full when no seat is left)."""
    return booking_view(booking.book(principal=current_principal(), now_ms=now_ms(), **args))


@blp.route("/bookings/mine", methods=["GET"])
@roles_required("driver")
@blp.response(200, schemas.MyBookingsSchema)
def my_bookings():
    """My bookings with check-in state and queue place; ETag / If-None-Match for polling."""
    return etagged(schemas.MyBookingsSchema, service.my_bookings(principal=current_principal(), now_ms=now_ms()))


@blp.route("/bookings/<booking_id>/move", methods=["POST"])
@roles_required("driver")
@blp.arguments(schemas.MoveArgs)
@blp.response(200, schemas.BookingSchema)
@idempotency.recorded_in_transaction(schemas.BookingSchema, booking_view)
def move(args, booking_id):
    """Move to another window at the same mine (one transaction)."""
    return booking_view(booking.move(principal=current_principal(), booking_id=booking_id, now_ms=now_ms(), **args))


@blp.route("/bookings/<booking_id>/cancel", methods=["POST"])
@roles_required("driver")
@blp.arguments(schemas.BookingCancelArgs)
@blp.response(200, schemas.BookingSchema)
def cancel(args, booking_id):
    """Cancel a booking; the seat is released."""
    return booking_view(booking.cancel(principal=current_principal(), booking_id=booking_id, now_ms=now_ms(), **args))


@blp.route("/fixes", methods=["POST"])
@roles_required("driver")
@blp.arguments(schemas.FixArgs)
@blp.response(200, schemas.FixResultSchema)
def post_fix(args):
    """A position from the driver's phone while the app is open (auto check-in)."""
    now = now_ms()
    at = min(args["at_ms"] or now, now)
    return checkin.process_fix(vehicle_id=None, driver_id=current_principal().user_id, lon=args["lon"], lat=args["lat"],
                               accuracy_m=args["accuracy_m"], at_ms=at, now_ms=now)


@blp.route("/bookings/<booking_id>/manual-checkin", methods=["POST"])
@roles_required("driver")
@blp.arguments(schemas.RequiredReasonArgs)
@blp.response(200, schemas.BookingSchema)
def manual_checkin(args, booking_id):
    """Ask the gate to check me in by hand (no GPS), saying why."""
    return booking_view(checkin.request_manual(principal=current_principal(), booking_id=booking_id, now_ms=now_ms(),
                                               reason=args["reason"]))


@blp.route("/bookings/<booking_id>/pass", methods=["GET"])
@roles_required("driver")
@blp.response(200, schemas.PassSchema)
def gate_pass(booking_id):
    """The signed gate pass (token and QR code) for my booking."""
    return service.issue_pass(principal=current_principal(), booking_id=booking_id, now_ms=now_ms())


@blp.route("/bookings/<booking_id>/confirm-checkin", methods=["POST"])
@roles_required("gate", "admin")
@blp.response(200, schemas.BookingSchema)
def confirm_checkin(booking_id):
    """Gate staff confirm a driver's manual check-in."""
    return booking_view(checkin.confirm_manual(principal=current_principal(), booking_id=booking_id, now_ms=now_ms()))


@blp.route("/mines/<mine_id>/checkins", methods=["GET"])
@roles_required(*MINE_STAFF)
@blp.response(200, schemas.BookingListSchema)
def pending_checkins(mine_id):
    """Manual check-in requests waiting for the gate."""
    return {"items": [booking_view(b) for b in checkin.pending_manual(principal=current_principal(), mine_id=mine_id)]}


@blp.route("/mines/<mine_id>/queue", methods=["GET"])
@roles_required(*MINE_STAFF)
@blp.response(200, schemas.BoardSchema)
def queue_board(mine_id):
    """The queue board: waiting in order with predicted call times, called, expected (ETag polling)."""

    require_mine(current_principal(), mine_id)
    return etagged(schemas.BoardSchema, queue.board(mine_id=mine_id, now_ms=now_ms()))


@blp.route("/mines/<mine_id>/call", methods=["POST"])
@roles_required("gate", "admin")
@blp.arguments(schemas.CallArgs)
@blp.response(200, schemas.BookingListSchema)
def call_next(args, mine_id):
    """Call the next N trucks (叫号)."""
    called = queue.call_next(principal=current_principal(), mine_id=mine_id, count=args["count"], now_ms=now_ms())
    return {"items": [booking_view(b) for b in called]}


@blp.route("/admit", methods=["POST"])
@roles_required("gate", "admin")
@blp.arguments(schemas.AdmitArgs)
@blp.response(200, schemas.AdmitSchema)
def admit(args):
    """Let a truck in: only when called, unless overridden with a reason (recorded)."""
    waybill = service.admit(actor=current_principal(), now_ms=now_ms(), **args)
    return {"waybill_id": waybill.waybill_id, "state": waybill.state}


@blp.route("/passes/verify", methods=["POST"])
@roles_required("gate", "admin")
@blp.arguments(schemas.VerifyArgs)
@blp.response(200, schemas.VerifySchema)
def verify(args):
    """Check a scanned gate pass (signature, expiry, mine) and whether the truck may enter now."""
    return service.check_pass(principal=current_principal(), token=args["token"], now_ms=now_ms())


@blp.route("/slots/<slot_id>", methods=["PATCH"])
@roles_required("gate", "admin")
@blp.arguments(schemas.CapacityArgs)
@blp.response(200, schemas.AppointmentSlotSchema)
def set_capacity(args, slot_id):
    """Raise or lower a window's seats (never below those booked)."""
    return slot_view(slots.set_capacity(principal=current_principal(), slot_id=slot_id, now_ms=now_ms(), **args))


@blp.route("/slots/<slot_id>/close", methods=["POST"])
@roles_required("gate", "admin")
@blp.arguments(schemas.RequiredReasonArgs)
@blp.response(200, schemas.CloseSchema)
def close_window(args, slot_id):
    """Close a window: its bookings are released and the drivers told."""
    result = slots.close_window(principal=current_principal(), slot_id=slot_id, now_ms=now_ms(), reason=args["reason"])
    return {"slot": slot_view(result["slot"]), "released": result["released"]}


@blp.route("/mines/<mine_id>/events", methods=["GET"])
@roles_required(*MINE_STAFF)
@blp.arguments(schemas.EventArgs, location="query")
@blp.response(200, schemas.QueueEventPage)
def events(args, mine_id):
    """Every queue change at a mine (calls, requeues, overrides, closures): who, when, why; newest first."""
    items, lek = service.mine_events(principal=current_principal(), mine_id=mine_id, limit=args["limit"],
                                     last_evaluated_key=decode_cursor(args["cursor"]))
    return page([event_view(e) for e in items], lek)


@blp.route("/push/key", methods=["GET"])
@signed_in
@blp.response(200, schemas.PushKeySchema)
def push_key():
    """The VAPID public key to subscribe with (null when Web Push is not configured)."""
    return {"public_key": push.vapid_public_key()}


@blp.route("/push/subscriptions", methods=["POST"])
@signed_in
@blp.arguments(schemas.SubscriptionArgs)
@blp.response(201, schemas.PushKeySchema)
def subscribe(args):
    """Keep this browser's push subscription so a call reaches a closed app."""
    push.subscribe(user_id=current_principal().user_id, subscription=args, now_ms=now_ms())
    return {"public_key": push.vapid_public_key()}




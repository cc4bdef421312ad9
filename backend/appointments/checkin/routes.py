"""Check-in API: the driver's phone fixes, manual check-in asked by the driver and confirmed by the gate."""

from backend.appointments.blueprint import MINE_STAFF, blp
from backend.appointments.booking.schemas import BookingListSchema, BookingSchema, RequiredReasonArgs
from backend.appointments.checkin import schemas, service
from backend.common.access import current_principal, roles_required
from backend.common.clock import now_ms


@blp.route("/fixes", methods=["POST"])
@roles_required("driver")
@blp.arguments(schemas.FixArgs)
@blp.response(200, schemas.FixResultSchema)
def post_fix(args):
    """A position from the driver's phone while the app is open (auto check-in)."""
    now = now_ms()
    at = min(args["at_ms"] or now, now)
    return service.process_fix(
        vehicle_id=None,
        driver_id=current_principal().user_id,
        lon=args["lon"],
        lat=args["lat"],
        accuracy_m=args["accuracy_m"],
        at_ms=at,
        now_ms=now,
    )


@blp.route("/bookings/<booking_id>/manual-checkin", methods=["POST"])
@roles_required("driver")
@blp.arguments(RequiredReasonArgs)
@blp.response(200, BookingSchema)
def manual_checkin(args, booking_id):
    """Ask the gate to check me in by hand (no GPS), saying why."""
    return service.request_manual(
        principal=current_principal(), booking_id=booking_id, now_ms=now_ms(), reason=args["reason"]
    )


@blp.route("/bookings/<booking_id>/confirm-checkin", methods=["POST"])
@roles_required("gate", "admin")
@blp.response(200, BookingSchema)
def confirm_checkin(booking_id):
    """Gate staff confirm a driver's manual check-in."""
    return service.confirm_manual(principal=current_principal(), booking_id=booking_id, now_ms=now_ms())


@blp.route("/mines/<mine_id>/checkins", methods=["GET"])
@roles_required(*MINE_STAFF)
@blp.response(200, BookingListSchema)
def pending_checkins(mine_id):
    """Manual check-in requests waiting for the gate."""
    return {"items": service.pending_manual(principal=current_principal(), mine_id=mine_id)}

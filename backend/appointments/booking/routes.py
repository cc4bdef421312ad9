"""Booking API: book, move, cancel, and closing a window (which releases its bookings)."""

from backend.appointments.blueprint import blp
from backend.appointments.booking import schemas, service
from backend.common import idempotency
from backend.common.access import current_principal, roles_required
from backend.common.clock import now_ms


@blp.route("/bookings", methods=["POST"])
@roles_required("driver")
@blp.arguments(schemas.BookArgs)
@blp.response(201, schemas.BookingSchema)
@idempotency.recorded_in_transaction(schemas.BookingSchema, status=201)
def book(args):
    """Book a window for an assigned waybill (409 slot_full when no seat is left)."""
    return service.book(principal=current_principal(), now_ms=now_ms(), **args)


@blp.route("/bookings/<booking_id>/move", methods=["POST"])
@roles_required("driver")
@blp.arguments(schemas.MoveArgs)
@blp.response(200, schemas.BookingSchema)
@idempotency.recorded_in_transaction(schemas.BookingSchema)
def move(args, booking_id):
    """Move to another window at the same mine (one transaction)."""
    return service.move(principal=current_principal(), booking_id=booking_id, now_ms=now_ms(), **args)


@blp.route("/bookings/<booking_id>/cancel", methods=["POST"])
@roles_required("driver")
@blp.arguments(schemas.BookingCancelArgs)
@blp.response(200, schemas.BookingSchema)
def cancel(args, booking_id):
    """Cancel a booking; the seat is released."""
    return service.cancel(principal=current_principal(), booking_id=booking_id, now_ms=now_ms(), **args)


@blp.route("/slots/<slot_id>/close", methods=["POST"])
@roles_required("gate", "admin")
@blp.arguments(schemas.RequiredReasonArgs)
@blp.response(200, schemas.CloseSchema)
def close_window(args, slot_id):
    """Close a window: its bookings are released and the drivers told."""
    return service.close_window(principal=current_principal(), slot_id=slot_id, now_ms=now_ms(), reason=args["reason"])

"""Gate pass API: the driver's signed pass, and the gate's check of a scanned one."""

from backend.appointments.blueprint import blp
from backend.appointments.gate_pass import schemas, service
from backend.common.access import current_principal, roles_required
from backend.common.clock import now_ms


@blp.route("/bookings/<booking_id>/pass", methods=["GET"])
@roles_required("driver")
@blp.response(200, schemas.PassSchema)
def gate_pass(booking_id):
    """The signed gate pass (token and QR code) for my booking."""
    return service.issue_pass(principal=current_principal(), booking_id=booking_id, now_ms=now_ms())


@blp.route("/passes/verify", methods=["POST"])
@roles_required("gate", "admin")
@blp.arguments(schemas.VerifyArgs)
@blp.response(200, schemas.VerifySchema)
def verify(args):
    """Check a scanned gate pass (signature, expiry, mine) and whether the truck may enter now."""
    return service.check_pass(principal=current_principal(), token=args["token"], now_ms=now_ms())

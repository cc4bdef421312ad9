"""Queue API: my bookings with my place, the board, calling the next trucks, letting a truck in."""

from backend.appointments.blueprint import MINE_STAFF, blp
from backend.appointments.booking.schemas import BookingListSchema
from backend.appointments.common import require_mine
from backend.appointments.queue import schemas, service
from backend.common.access import current_principal, roles_required
from backend.common.clock import now_ms
from backend.common.etag import etagged


@blp.route("/bookings/mine", methods=["GET"])
@roles_required("driver")
@blp.response(200, schemas.MyBookingsSchema)
def my_bookings():
    """My bookings with check-in state and queue place; ETag / If-None-Match for polling."""
    return etagged(schemas.MyBookingsSchema, service.my_bookings(principal=current_principal(), now_ms=now_ms()))


@blp.route("/mines/<mine_id>/queue", methods=["GET"])
@roles_required(*MINE_STAFF)
@blp.response(200, schemas.BoardSchema)
def queue_board(mine_id):
    """The queue board: waiting in order with predicted call times, called, expected (ETag polling)."""
    require_mine(current_principal(), mine_id)
    return etagged(schemas.BoardSchema, service.board(mine_id=mine_id, now_ms=now_ms()))


@blp.route("/mines/<mine_id>/call", methods=["POST"])
@roles_required("gate", "admin")
@blp.arguments(schemas.CallArgs)
@blp.response(200, BookingListSchema)
def call_next(args, mine_id):
    """Call the next trucks (叫号): N, or as many as the call rule says; a named truck out of turn needs a reason."""
    return {"items": service.call_next(principal=current_principal(), mine_id=mine_id, now_ms=now_ms(), **args)}


@blp.route("/admit", methods=["POST"])
@roles_required("gate", "admin")
@blp.arguments(schemas.AdmitArgs)
@blp.response(200, schemas.AdmitSchema)
def admit(args):
    """Let a truck in: only when called, unless overridden with a reason (recorded)."""
    return service.admit(actor=current_principal(), now_ms=now_ms(), **args)


@blp.route("/mines/<mine_id>/simulate", methods=["GET"])
@roles_required("gate", "admin")
@blp.arguments(schemas.SimulateArgs, location="query")
@blp.response(200, schemas.SimulationSchema)
def simulate(args, mine_id):
    """Simulate a day at this site for walk-up and the platform (its measured figures unless given) to choose
    the window template: queue time, trucks in the area, wanted→loaded, loaded, lane idle, the goal ratios."""
    return service.simulate(principal=current_principal(), mine_id=mine_id, **args)

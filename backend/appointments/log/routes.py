"""Queue log API: a day's queue changes for staff, the published head for everyone, a driver's own audit."""

from backend.appointments.blueprint import MINE_STAFF, blp
from backend.appointments.booking import service as booking_service
from backend.appointments.log import schemas, service
from backend.common.access import current_principal, roles_required, signed_in
from backend.common.clock import now_ms
from backend.common.pagination import decode_cursor, page


@blp.route("/mines/<mine_id>/events", methods=["GET"])
@roles_required(*MINE_STAFF)
@blp.arguments(schemas.EventArgs, location="query")
@blp.response(200, schemas.QueueEventPage)
def events(args, mine_id):
    """A day's queue changes at a mine (bookings, check-ins, calls, skips, overrides): who, when, why; newest first."""
    items, lek = service.mine_events(
        principal=current_principal(),
        mine_id=mine_id,
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
        now_ms=now_ms(),
        date=args["date"],
    )
    return page(items, lek)


@blp.route("/mines/<mine_id>/chain-head", methods=["GET"])
@signed_in
@blp.arguments(schemas.DayArgs, location="query")
@blp.response(200, schemas.ChainHeadSchema)
def chain_head(args, mine_id):
    """The day's published head hash of the mine's queue log (compare it with any copy of the chain)."""
    return service.published_head(mine_id=mine_id, now_ms=now_ms(), date=args["date"])


@blp.route("/bookings/<booking_id>/audit", methods=["GET"])
@roles_required("driver")
@blp.response(200, schemas.AuditSchema)
def audit(booking_id):
    """My booking's events, whether the day's chain is intact, and every truck placed ahead of me with its reason."""
    booking = booking_service.own(current_principal(), booking_id, active=False)
    return service.booking_audit(booking, now_ms=now_ms())

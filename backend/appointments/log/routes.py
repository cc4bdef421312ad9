"""Queue log API: every queue change at a mine, newest first."""

from backend.appointments.blueprint import MINE_STAFF, blp
from backend.appointments.log import schemas, service
from backend.common.access import current_principal, roles_required
from backend.common.pagination import decode_cursor, page


@blp.route("/mines/<mine_id>/events", methods=["GET"])
@roles_required(*MINE_STAFF)
@blp.arguments(schemas.EventArgs, location="query")
@blp.response(200, schemas.QueueEventPage)
def events(args, mine_id):
    """Every queue change at a mine (calls, requeues, overrides, closures): who, when, why; newest first."""
    items, lek = service.mine_events(
        principal=current_principal(),
        mine_id=mine_id,
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)

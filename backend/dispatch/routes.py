"""Carrier dispatch and the balanced-hauling quota plan (the order hall's routes: backend/dispatch/hall_routes.py)."""

from backend.common import idempotency
from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms, shanghai_date
from backend.common.pagination import decode_cursor, page
from backend.dispatch import carrier, quotas, schemas
from backend.waybills.routes import WaybillPage, WaybillSchema

blp = Blueprint("dispatch", __name__, url_prefix="/api/dispatch", description="Carrier dispatch and quotas")


@blp.route("/loads", methods=["GET"])
@roles_required("carrier")
@blp.arguments(schemas.EntrustedArgs, location="query")
@blp.response(200, WaybillPage)
def entrusted(args):
    """The carrier's loads, newest first (?status=pending|accepted|all entrustments)."""
    items, lek = carrier.list_entrusted(
        principal=current_principal(),
        status=args["status"],
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/loads/<waybill_id>/accept", methods=["POST"])
@roles_required("carrier")
@blp.response(200, WaybillSchema)
@idempotency.recorded_in_transaction(WaybillSchema)
def accept(waybill_id):
    """Accept a load a shipper entrusted to you."""
    return carrier.accept(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms())


@blp.route("/loads/<waybill_id>/decline", methods=["POST"])
@roles_required("carrier")
@blp.arguments(schemas.ReasonArgs)
@blp.response(200, WaybillSchema)
@idempotency.recorded_in_transaction(WaybillSchema)
def decline(args, waybill_id):
    """Decline an entrusted load; it goes back to the shipper."""
    return carrier.decline(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), reason=args["reason"])


@blp.route("/loads/<waybill_id>/assign", methods=["POST"])
@roles_required("carrier")
@blp.arguments(schemas.AssignArgs)
@blp.response(200, WaybillSchema)
@idempotency.recorded_in_transaction(WaybillSchema)
def assign(args, waybill_id):
    """Dispatch one of your drivers and vehicles to an entrusted load."""
    return carrier.assign(
        principal=current_principal(),
        waybill_id=waybill_id,
        now_ms=now_ms(),
        driver_id=args["driver_id"],
        vehicle_id=args["vehicle_id"],
    )


@blp.route("/loads/<waybill_id>/reassign", methods=["POST"])
@roles_required("carrier")
@blp.arguments(schemas.AssignArgs)
@blp.response(200, WaybillSchema)
@idempotency.recorded_in_transaction(WaybillSchema)
def reassign(args, waybill_id):
    """Change driver or vehicle before the slot is booked."""
    return carrier.reassign(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), **args)


@blp.route("/quotas", methods=["GET"])
@roles_required("shipper", "dispatcher", "admin")
@blp.arguments(schemas.QuotaArgs, location="query")
@blp.response(200, schemas.QuotaReply)
def list_quotas(args):
    """The day's quota plan: the dispatcher sees every mine; a shipper its own quotas and use."""
    return quotas.plans_for(current_principal(), date=args["date"] or shanghai_date(now_ms()))


@blp.route("/quotas/recompute", methods=["POST"])
@roles_required("dispatcher", "admin")
@blp.arguments(schemas.RecomputeArgs)
@blp.response(200, schemas.QuotaReply)
def recompute(args):
    """Recompute the day's plan now (keeps trucks already used)."""
    date = args["date"] or shanghai_date(now_ms())
    quotas.compute_all(now_ms=now_ms(), date=date, mine_ids=[args["mine_id"]] if args["mine_id"] else None)
    return quotas.plans_for(current_principal(), date=date)

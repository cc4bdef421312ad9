"""The order hall (drivers), carrier dispatch and the balanced-hauling quota plan."""

from flask_smorest import Blueprint

from backend.common import idempotency
from backend.common.access import current_principal, roles_required
from backend.common.clock import now_ms, shanghai_date
from backend.common.errors import field_error
from backend.common.pagination import decode_cursor, page
from backend.dispatch import carrier, contacts, hall, quotas, schemas
from backend.waybills.routes import WaybillPage, WaybillSchema

hall_blp = Blueprint("hall", __name__, url_prefix="/api/hall", description="The order hall (货源大厅)")
blp = Blueprint("dispatch", __name__, url_prefix="/api/dispatch", description="Carrier dispatch and quotas")


def _where(args):
    return args.get("where")


@hall_blp.route("", methods=["GET"])
@roles_required("driver", "carrier", "dispatcher", "admin")
@hall_blp.arguments(schemas.HallArgs, location="query")
@hall_blp.response(200, schemas.HallList)
def list_hall(args):
    """Open loads, nearest mine first from ?lon=&lat= (the driver's position or a chosen place)."""
    if (args["lon"] is None) != (args["lat"] is None):
        raise field_error("lat", "give both lon and lat, or neither")
    near = [args["lon"], args["lat"]] if args["lon"] is not None else None
    principal, notice = current_principal(), {}
    items = hall.list_hall(
        near=near,
        mine_id=args["mine_id"],
        product_id=args["product_id"],
        min_freight_fen_per_t=args["min_freight_fen_per_t"],
        limit=args["limit"],
        driver_id=principal.user_id if principal.role == "driver" else None,
        notice=notice,
    )
    return {"items": items, "trust": notice or None}


@hall_blp.route("/vehicles", methods=["GET"])
@roles_required("driver")
@hall_blp.response(200, schemas.VehicleChoices)
def my_vehicles():
    """The active trucks of the driver's carrier that the driver may grab with."""
    return {"items": hall.vehicles_for(principal=current_principal())}


@hall_blp.route("/<waybill_id>/grab", methods=["POST"])
@roles_required("driver")
@hall_blp.arguments(schemas.GrabArgs)
@hall_blp.response(200, WaybillSchema)
@idempotency.recorded_in_transaction(WaybillSchema)
def grab(args, waybill_id):
    """Take a load with one of your carrier's vehicles; exactly one driver wins, the others get 409."""
    return hall.grab_load(
        principal=current_principal(),
        waybill_id=waybill_id,
        vehicle_id=args["vehicle_id"],
        now_ms=now_ms(),
        where=_where(args),
    )


@hall_blp.route("/<waybill_id>/give-back", methods=["POST"])
@roles_required("driver")
@hall_blp.arguments(schemas.ReasonArgs)
@hall_blp.response(200, WaybillSchema)
@idempotency.recorded_in_transaction(WaybillSchema)
def give_back(args, waybill_id):
    """Return a load before booking a slot (it goes back to the hall or to the carrier)."""
    return hall.give_back(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), reason=args["reason"])


@hall_blp.route("/<waybill_id>/contacts", methods=["GET"])
@roles_required("driver")
@hall_blp.response(200, schemas.LoadContacts)
def load_contacts(waybill_id):
    """The phones of your current load's shipper, carrier office and gate, and where to drive (you only)."""
    return contacts.for_driver(principal=current_principal(), waybill_id=waybill_id)


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

"""The order hall (货源大厅): drivers list open loads, grab one, give it back, and reach its contacts.

Its own blueprint module, apart from carrier dispatch and the quota plan (backend/dispatch/routes.py): the hall
is a phone's first call and loads while a container starts, and it needs neither of those.
"""

from backend.common import idempotency
from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.errors import field_error
from backend.dispatch import contacts, hall, schemas
from backend.waybills.routes import WaybillSchema

hall_blp = Blueprint("hall", __name__, url_prefix="/api/hall", description="The order hall (货源大厅)")


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

"""Retail and bulk orders, entrusting and publishing loads, allocations."""

from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.errors import field_error
from backend.common.pagination import decode_cursor, page
from backend.orders import schemas, service
from backend.waybills.routes import WaybillSchema

blp = Blueprint("orders", __name__, url_prefix="/api/orders", description="Orders, loads and allocations")


@blp.route("/quote", methods=["POST"])
@roles_required("buyer", "shipper")
@blp.arguments(schemas.QuoteArgs)
@blp.response(200, schemas.QuoteSchema)
def quote(args):
    """Price one truckload: coal plus freight estimate (fen); nothing is reserved."""
    return service.quote(**args)


@blp.route("/retail", methods=["POST"])
@roles_required("buyer", "shipper")
@blp.arguments(schemas.RetailArgs)
@blp.response(201, WaybillSchema)
def place_retail(args):
    """Order one truckload (a shipper names the buyer by phone); stock is reserved and the load goes to the hall."""
    return service.place_retail(principal=current_principal(), now_ms=now_ms(), **args)


@blp.route("/bulk", methods=["POST"])
@roles_required("shipper")
@blp.arguments(schemas.BulkArgs)
@blp.response(201, schemas.BulkReply)
def place_bulk(args):
    """N truckloads from the shipper's allocation (at most 99 per order), optionally entrusted or published."""
    order_id, loads = service.place_bulk(principal=current_principal(), now_ms=now_ms(), **args)
    return {"order_id": order_id, "items": loads}


@blp.route("/<waybill_id>/cancel", methods=["POST"])
@roles_required("buyer", "shipper", "admin")
@blp.arguments(schemas.CancelArgs)
@blp.response(200, WaybillSchema)
def cancel(args, waybill_id):
    """Cancel before booking; the coal (and any driver and quota truck) is given back."""
    return service.cancel(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), **args)


@blp.route("/loads/<waybill_id>/destination-fence", methods=["PUT"])
@roles_required("buyer", "shipper", "admin")
@blp.arguments(schemas.DestinationFenceArgs)
@blp.response(200, WaybillSchema)
def set_destination_fence(args, waybill_id):
    """Redraw a load's arrival fence (polygon, or radius around the delivery point) while it is on its way."""
    return service.set_destination_fence(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), **args)


@blp.route("/loads/<waybill_id>/entrust", methods=["POST"])
@roles_required("shipper")
@blp.arguments(schemas.EntrustArgs)
@blp.response(200, WaybillSchema)
def entrust(args, waybill_id):
    """Entrust an open load to a carrier."""
    return service.entrust(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), **args)


@blp.route("/loads/<waybill_id>/publish", methods=["POST"])
@roles_required("shipper")
@blp.arguments(schemas.PublishArgs)
@blp.response(200, WaybillSchema)
def publish(args, waybill_id):
    """Publish an open load in the order hall at a freight rate."""
    return service.publish(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), **args)


@blp.route("/companies", methods=["GET"])
@roles_required("carrier", "shipper", "driver", "buyer", "dispatcher", "admin")
@blp.arguments(schemas.CompanyArgs, location="query")
@blp.response(200, schemas.CompanyList)
def company_names(args):
    """Names of the companies on loads (?ids=a,b: at most 50), so a list shows names instead of ids."""
    return {"items": service.company_names(org_ids=args["ids"])}


@blp.route("/carriers/<carrier_id>/fit", methods=["GET"])
@roles_required("shipper", "dispatcher", "admin")
@blp.response(200, schemas.CarrierFitSchema)
def carrier_fit(carrier_id):
    """What an entrusted carrier's trucks can take: the default tonnage per truck and the largest possible."""
    return service.carrier_fit(carrier_id=carrier_id)


@blp.route("/allocations", methods=["GET"])
@roles_required("shipper", "dispatcher", "admin")
@blp.arguments(schemas.AllocationListArgs, location="query")
@blp.response(200, schemas.AllocationPage)
def list_allocations(args):
    """A shipper's allocations (the dispatch centre names the shipper)."""
    principal = current_principal()
    shipper_id = principal.org_id if principal.role == "shipper" else args["shipper_id"]
    if not shipper_id:
        raise field_error("shipper_id", "required for dispatcher and admin")
    items, lek = service.list_allocations(
        shipper_id=shipper_id, limit=args["limit"], last_evaluated_key=decode_cursor(args["cursor"])
    )
    return page(items, lek)


@blp.route("/allocations", methods=["POST"])
@roles_required("admin", "dispatcher")
@blp.arguments(schemas.GrantArgs)
@blp.response(201, schemas.AllocationSchema)
def grant_allocation(args):
    """Record coal a shipper bought at a mine (adds to its allocation)."""
    return service.grant_allocation(now_ms=now_ms(), **args)

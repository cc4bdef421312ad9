"""Reading waybills and their history (the parties' shared view)."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.common.access import current_principal, roles_required
from backend.common.pagination import decode_cursor, page
from backend.common.schemas import PageArgs, page_schema
from backend.waybills import service
from backend.waybills.transitions import STATES

blp = Blueprint("waybills", __name__, url_prefix="/api/waybills", description="Waybills (派车单)")
PARTIES = ("driver", "carrier", "shipper", "buyer", "gate", "dispatcher", "admin")


class WaybillSchema(Schema):
    id = fields.String()
    state = fields.String()
    version = fields.Integer()
    held_from = fields.String(allow_none=True)
    hold_reason = fields.String(allow_none=True)
    order_id = fields.String(allow_none=True)
    mine_id = fields.String()
    product_id = fields.String()
    tonnage_kg = fields.Integer()
    price_fen_per_t = fields.Integer(allow_none=True)
    freight_fen_per_t = fields.Integer(allow_none=True)
    shipper_id = fields.String(allow_none=True)
    buyer_id = fields.String(allow_none=True)
    carrier_id = fields.String(allow_none=True)
    entrust_status = fields.String(allow_none=True)
    driver_id = fields.String(allow_none=True)
    vehicle_id = fields.String(allow_none=True)
    plate = fields.String(allow_none=True)
    destination = fields.Dict(allow_none=True)
    wanted_date = fields.String(allow_none=True)
    booking_id = fields.String(allow_none=True)
    slot_id = fields.String(allow_none=True)
    tare_kg = fields.Integer(allow_none=True)
    gross_kg = fields.Integer(allow_none=True)
    net_kg = fields.Integer(allow_none=True)
    received_kg = fields.Integer(allow_none=True)
    extra = fields.Dict(allow_none=True)
    in_hall = fields.Boolean()
    created_at = fields.Integer()
    updated_at = fields.Integer()


class EventSchema(Schema):
    version = fields.Integer()
    action = fields.String()
    from_state = fields.String()
    to_state = fields.String()
    actor_id = fields.String()
    actor_role = fields.String()
    at = fields.Integer()
    where = fields.Dict(allow_none=True)
    reason = fields.String(allow_none=True)


class HistorySchema(Schema):
    items = fields.List(fields.Nested(EventSchema))


class WaybillListArgs(PageArgs):
    state = fields.String(load_default=None, validate=validate.OneOf(STATES))


WaybillPage = page_schema(WaybillSchema, "WaybillPage")


@blp.route("", methods=["GET"])
@roles_required("driver", "carrier", "shipper", "buyer", "gate")
@blp.arguments(WaybillListArgs, location="query")
@blp.response(200, WaybillPage)
def list_waybills(args):
    """My waybills: a driver's, a buyer's, a carrier's or shipper's company's, a gate's mine's."""
    items, lek = service.list_for(current_principal(), limit=args["limit"], state=args["state"],
                                  last_evaluated_key=decode_cursor(args["cursor"]))
    return page([service.waybill_view(w) for w in items], lek)


@blp.route("/<waybill_id>", methods=["GET"])
@roles_required(*PARTIES)
@blp.response(200, WaybillSchema)
def get_waybill(waybill_id):
    """One waybill, for its parties."""
    return service.waybill_view(service.get_visible(current_principal(), waybill_id))


@blp.route("/<waybill_id>/history", methods=["GET"])
@roles_required(*PARTIES)
@blp.response(200, HistorySchema)
def waybill_history(waybill_id):
    """Who moved the waybill, when, where and why."""
    return {"items": [service.event_view(e) for e in service.history(current_principal(), waybill_id)]}

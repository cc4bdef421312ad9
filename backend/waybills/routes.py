"""Reading waybills and their history (the parties' shared view)."""

from marshmallow import Schema, fields, validate

from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.pagination import decode_cursor, page
from backend.common.schemas import PageArgs, model_schema, page_schema
from backend.waybills import service
from backend.waybills.models import Waybill, WaybillEvent
from backend.waybills.transitions import STATES

blp = Blueprint("waybills", __name__, url_prefix="/api/waybills", description="Waybills (派车单)")
PARTIES = ("driver", "carrier", "shipper", "buyer", "gate", "dispatcher", "admin")


# The record as it is, fields from the model (written once); index keys stay internal.
WaybillSchema = model_schema(
    Waybill,
    "Waybill",
    rename={"waybill_id": "id"},
    exclude=("hall_mine_id", "hall_scope", "state_at"),
    extra={"in_hall": fields.Function(lambda w: w.hall_mine_id is not None)},
)
EventSchema = model_schema(WaybillEvent, "WaybillEvent", exclude=("waybill_id",))


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
    items, lek = service.list_for(
        current_principal(), limit=args["limit"], state=args["state"], last_evaluated_key=decode_cursor(args["cursor"])
    )
    return page(items, lek)


@blp.route("/<waybill_id>", methods=["GET"])
@roles_required(*PARTIES)
@blp.response(200, WaybillSchema)
def get_waybill(waybill_id):
    """One waybill, for its parties."""
    return service.get_visible(current_principal(), waybill_id)


@blp.route("/<waybill_id>/history", methods=["GET"])
@roles_required(*PARTIES)
@blp.response(200, HistorySchema)
def waybill_history(waybill_id):
    """Who moved the waybill, when, where and why."""
    return {"items": service.history(current_principal(), waybill_id)}

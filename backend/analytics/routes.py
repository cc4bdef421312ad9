"""The command centre's API: a theme's dashboard from the aggregates (dispatch, a mine's gate, a shipper)."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.analytics import service
from backend.common.access import current_principal, roles_required

blp = Blueprint("analytics", __name__, url_prefix="/api/analytics", description="Command centre KPIs")
READERS = ("dispatcher", "admin", "gate", "shipper")


class DashboardArgs(Schema):
    theme = fields.String(load_default="capacity", validate=validate.OneOf(tuple(service.THEMES)))
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    mine_id = fields.String(load_default=None)
    shipper_id = fields.String(load_default=None)


class DashboardSchema(Schema):
    theme = fields.String()
    scope = fields.Dict()
    days = fields.List(fields.String())
    series = fields.List(fields.Dict())
    totals = fields.Dict()
    ratios = fields.Dict()
    live = fields.Dict()
    rows = fields.List(fields.Dict())
    rows_kind = fields.String()
    hours = fields.List(fields.Dict())


@blp.route("/dashboard", methods=["GET"])
@roles_required(*READERS)
@blp.arguments(DashboardArgs, location="query")
@blp.response(200, DashboardSchema)
def dashboard(args):
    """A theme (capacity, dispatch, customers, in_transit) over days: series, totals, ratios, live gauge, rows."""
    return service.dashboard(principal=current_principal(), **args)

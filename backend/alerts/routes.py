"""Alerts for gate staff of the mine and the dispatch centre: list, detail, resolve with a reason."""

from marshmallow import Schema, fields, validate

from backend.alerts import service
from backend.alerts.models import Alert
from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.pagination import decode_cursor, page
from backend.common.schemas import PageArgs, model_schema, page_schema

blp = Blueprint("alerts", __name__, url_prefix="/api/alerts", description="Plate, weighing and trip alerts")
RESOLVERS = ("gate", "dispatcher", "admin")
READERS = RESOLVERS + ("carrier",)  # a carrier watches its trucks' trip alerts; dispatch resolves them


# The record as it is; `held` (stored as a sparse "held" marker) reads as a yes/no, and the carrier key of the
# by_carrier index stays internal.
AlertSchema = model_schema(
    Alert,
    "Alert",
    rename={"alert_id": "id"},
    exclude=("carrier_id",),
    floats=("score", "threshold"),
    extra={"held": fields.Function(lambda alert: alert.held == "held")},
)


class AlertListArgs(PageArgs):
    mine_id = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "cleared", "confirmed")))


class ResolveArgs(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(service.OUTCOMES))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


AlertPage = page_schema(AlertSchema, "AlertPage")


@blp.route("", methods=["GET"])
@roles_required(*READERS)
@blp.arguments(AlertListArgs, location="query")
@blp.response(200, AlertPage)
def list_alerts(args):
    """Alerts, newest first: a gate's own mine; a carrier's trucks' trips; dispatch one mine's or all (any status)."""
    items, lek = service.list_alerts(
        principal=current_principal(),
        mine_id=args["mine_id"],
        status=args["status"],
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/<alert_id>", methods=["GET"])
@roles_required(*READERS)
@blp.response(200, AlertSchema)
def get_alert(alert_id):
    """One alert with its evidence (gate point, the truck's last fix, the numbers)."""
    return service.get_alert(principal=current_principal(), alert_id=alert_id)


@blp.route("/<alert_id>/resolve", methods=["POST"])
@roles_required(*RESOLVERS)
@blp.arguments(ResolveArgs)
@blp.response(200, AlertSchema)
def resolve_alert(args, alert_id):
    """Cleared lifts the hold; confirmed blocks the vehicle and keeps the waybill held."""
    return service.resolve(
        principal=current_principal(),
        alert_id=alert_id,
        outcome=args["outcome"],
        reason=args["reason"],
        now_ms=now_ms(),
    )

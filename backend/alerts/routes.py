"""Alerts for gate staff of the mine and the dispatch centre: list, detail, resolve with a reason."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.alerts import service
from backend.common.access import current_principal, roles_required
from backend.common.clock import now_ms
from backend.common.pagination import decode_cursor, page
from backend.common.schemas import PageArgs, page_schema

blp = Blueprint("alerts", __name__, url_prefix="/api/alerts", description="Plate, weighing and trip alerts")
RESOLVERS = ("gate", "dispatcher", "admin")
READERS = RESOLVERS + ("carrier",)  # a carrier watches its trucks' trip alerts; dispatch resolves them


class AlertSchema(Schema):
    id = fields.String()
    kind = fields.String()
    status = fields.String()
    mine_id = fields.String()
    plate = fields.String(allow_none=True)
    vehicle_id = fields.String(allow_none=True)
    waybill_id = fields.String(allow_none=True)
    sighting_id = fields.String(allow_none=True)
    ticket_id = fields.String(allow_none=True)
    reason = fields.String()
    score = fields.Float(allow_none=True)
    threshold = fields.Float(allow_none=True)
    signals = fields.List(fields.Dict(), allow_none=True)
    rules = fields.List(fields.Dict(), allow_none=True)
    evidence = fields.Dict(allow_none=True)
    held = fields.Boolean()
    created_at = fields.Integer()
    resolved_at = fields.Integer(allow_none=True)
    resolved_by = fields.String(allow_none=True)
    resolution_reason = fields.String(allow_none=True)


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
    """Alerts, newest first: a gate's own mine; a carrier's trucks' trips; dispatch every open one or one mine's."""
    items, lek = service.list_alerts(principal=current_principal(), mine_id=args["mine_id"], status=args["status"],
                                     limit=args["limit"], last_evaluated_key=decode_cursor(args["cursor"]))
    return page([service.alert_view(a) for a in items], lek)


@blp.route("/<alert_id>", methods=["GET"])
@roles_required(*READERS)
@blp.response(200, AlertSchema)
def get_alert(alert_id):
    """One alert with its evidence (gate point, the truck's last fix, the numbers)."""
    return service.alert_view(service.get_alert(principal=current_principal(), alert_id=alert_id))


@blp.route("/<alert_id>/resolve", methods=["POST"])
@roles_required(*RESOLVERS)
@blp.arguments(ResolveArgs)
@blp.response(200, AlertSchema)
def resolve_alert(args, alert_id):
    """Cleared lifts the hold; confirmed blocks the vehicle and keeps the waybill held."""
    alert = service.resolve(principal=current_principal(), alert_id=alert_id, outcome=args["outcome"],
                            reason=args["reason"], now_ms=now_ms())
    return service.alert_view(alert)

"""Tracking API: fixes from phones and gateways, trips for their parties, the dispatcher's live map."""

from marshmallow import Schema, fields, validate

from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.etag import etagged
from backend.devices.auth import device_required
from backend.tracking import service
from backend.waybills.routes import PARTIES

blp = Blueprint("tracking", __name__, url_prefix="/api/tracking", description="Tracking (在途跟踪)")


class FixBatchSchema(Schema):
    waybill_id = fields.String(load_default=None)
    # Each fix is checked by the service so a bad one is named by index without losing the rest.
    fixes = fields.List(fields.Dict(), required=True, validate=validate.Length(min=1, max=500))


class IngestResultSchema(Schema):
    accepted = fields.Integer()
    duplicates = fields.Integer()
    rejected = fields.List(fields.Dict())
    waybill_id = fields.String(allow_none=True)
    state = fields.String(allow_none=True)
    eta_ms = fields.Integer(allow_none=True)


class TraccarSchema(Schema):
    position = fields.Dict(required=True)
    device = fields.Dict(required=True)
    event = fields.Dict(load_default=None)


class PointArgs(Schema):
    point = fields.List(fields.Float(), validate=validate.Length(equal=2), load_default=None)


class RequiredPointArgs(Schema):
    point = fields.List(fields.Float(), validate=validate.Length(equal=2), required=True)


class RouteArgs(Schema):
    route = fields.List(
        fields.List(fields.Float(), validate=validate.Length(equal=2)),
        required=True,
        validate=validate.Length(min=2, max=5000),
    )


class TripSchema(Schema):
    waybill_id = fields.String()
    state = fields.String()
    plate = fields.String(allow_none=True)
    destination = fields.Dict(allow_none=True)
    origin = fields.List(fields.Float(), allow_none=True)
    route = fields.List(fields.List(fields.Float()), allow_none=True)
    track = fields.List(fields.List(fields.Float()))
    position = fields.Dict(allow_none=True)
    eta_ms = fields.Integer(allow_none=True)
    remaining_m = fields.Integer(allow_none=True)
    alerts = fields.List(fields.Dict())


class LiveArgs(Schema):
    bbox = fields.String(required=True, metadata={"description": "west,south,east,north (WGS-84 degrees)"})


class LiveSchema(Schema):
    mode = fields.String()
    total = fields.Integer()
    vehicles = fields.List(fields.Dict())
    clusters = fields.List(fields.Dict())


class MovedSchema(Schema):
    waybill_id = fields.String()
    state = fields.String()
    version = fields.Integer()


@blp.route("/fixes", methods=["POST"])
@roles_required("driver")
@blp.arguments(FixBatchSchema)
@blp.response(200, IngestResultSchema)
def post_fixes(args):
    """A phone's batch of up to 500 fixes; duplicates are ignored, bad fixes named by index."""
    return service.ingest_from_driver(
        principal=current_principal(), fixes=args["fixes"], waybill_id=args["waybill_id"], now_ms=now_ms()
    )


@blp.route("/traccar", methods=["POST"])
@device_required("gps_gateway")
@blp.arguments(TraccarSchema)
@blp.response(200, IngestResultSchema)
def post_traccar(args):
    """Traccar's position forwarding (forward.type=json), signed by a gps_gateway device."""
    return service.ingest_from_traccar(payload=args, now_ms=now_ms())


@blp.route("/waybills/<waybill_id>", methods=["GET"])
@roles_required(*PARTIES)
@blp.response(200, TripSchema)
def get_trip(waybill_id):
    """A waybill's track, latest position, ETA and alerts, for its parties."""
    return service.trip_view(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms())


@blp.route("/waybills/<waybill_id>/depart", methods=["POST"])
@roles_required("driver")
@blp.arguments(PointArgs)
@blp.response(200, MovedSchema)
def post_depart(args, waybill_id):
    """The driver leaves the mine (出发)."""
    moved = service.depart(principal=current_principal(), waybill_id=waybill_id, point=args["point"], now_ms=now_ms())
    return {"waybill_id": moved.waybill_id, "state": moved.state, "version": moved.version}


@blp.route("/waybills/<waybill_id>/arrive", methods=["POST"])
@roles_required("driver")
@blp.arguments(RequiredPointArgs)
@blp.response(200, MovedSchema)
def post_arrive(args, waybill_id):
    """The driver reports arrival from inside the destination fence (到达)."""
    moved = service.arrive(principal=current_principal(), waybill_id=waybill_id, point=args["point"], now_ms=now_ms())
    return {"waybill_id": moved.waybill_id, "state": moved.state, "version": moved.version}


@blp.route("/waybills/<waybill_id>/route", methods=["PUT"])
@roles_required("dispatcher", "carrier")
@blp.arguments(RouteArgs)
@blp.response(
    200,
    Schema.from_dict(
        {"waybill_id": fields.String(), "route": fields.List(fields.List(fields.Float()))}, name="TripRoute"
    ),
)
def put_route(args, waybill_id):
    """Set the expected route the deviation corridor follows."""
    return service.set_route(principal=current_principal(), waybill_id=waybill_id, route=args["route"])


@blp.route("/live", methods=["GET"])
@roles_required("dispatcher", "admin")
@blp.arguments(LiveArgs, location="query")
@blp.response(200, LiveSchema)
def get_live(args):
    """Vehicles on a trip in a bounding box (markers), or counts per cell when zoomed out (clusters); ETag polling."""
    return etagged(LiveSchema, service.live_map(bbox=args["bbox"]))

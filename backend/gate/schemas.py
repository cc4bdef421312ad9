"""Gate request and reply shapes."""

from marshmallow import EXCLUDE, Schema, fields, validate

from backend.common.schemas import PageArgs, model_schema, page_schema
from backend.gate.models import Sighting, WeighTicket
from backend.waybills.routes import WaybillSchema


class CameraArgs(Schema):
    """Our camera JSON, or {"AlarmInfoPlate": {...}} as Vzenith-style cameras push it."""

    class Meta:
        unknown = EXCLUDE  # cameras add vendor fields we do not use

    plate = fields.String(validate=validate.Length(min=1, max=16))
    plate_color = fields.String(load_default=None)
    confidence = fields.Float(load_default=None)
    vehicle_color = fields.String(load_default=None, validate=validate.Length(max=16))
    vehicle_type = fields.String(load_default=None, validate=validate.Length(max=32))
    at = fields.Integer(load_default=None)
    image_ref = fields.String(load_default=None, validate=validate.Length(max=256))
    lane = fields.String(load_default="1", validate=validate.Length(min=1, max=8))
    direction = fields.String(load_default="in", validate=validate.OneOf(("in", "out")))
    AlarmInfoPlate = fields.Dict(load_default=None)


class QrScanArgs(Schema):
    token = fields.String(required=True, validate=validate.Length(min=8, max=2048))
    lane = fields.String(load_default="1", validate=validate.Length(min=1, max=8))
    at = fields.Integer(load_default=None)


class WeighingArgs(Schema):
    kg = fields.Integer(required=True, validate=validate.Range(min=500, max=120_000))
    axles = fields.Integer(load_default=None, validate=validate.Range(min=2, max=8))
    stable = fields.Boolean(required=True)
    at = fields.Integer(load_default=None)
    plate = fields.String(load_default=None, validate=validate.Length(max=16))
    waybill_id = fields.String(load_default=None)


class IdentifyResult(Schema):
    outcome = fields.String()
    waybill_id = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


# The records as they are (fields from the models); the lane reads without its mine prefix, and the model's
# features and scoring time stay internal.
SightingSchema = model_schema(
    Sighting,
    "Sighting",
    rename={"sighting_id": "id"},
    exclude=("lane_key", "features", "scored_at"),
    floats=("confidence", "score", "threshold"),
    extra={"lane": fields.Function(lambda s: s.lane_key.split("#", 1)[-1])},
)
TicketSchema = model_schema(WeighTicket, "Ticket", rename={"ticket_id": "id"})


class SightingReply(Schema):
    sighting = fields.Nested(SightingSchema)
    identification = fields.Nested(IdentifyResult)


class QrScanReply(Schema):
    scan_id = fields.String()
    identification = fields.Nested(IdentifyResult)


class WeighingReply(Schema):
    counted = fields.Boolean()
    reason = fields.String(allow_none=True)
    ticket = fields.Nested(TicketSchema, allow_none=True)


class ReweighArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ReweighReply(Schema):
    waybill = fields.Nested(WaybillSchema)
    ticket = fields.Nested(TicketSchema)
    surplus_kg = fields.Integer()


class MineListArgs(PageArgs):
    mine_id = fields.String(load_default=None)


class TicketListArgs(MineListArgs):
    waybill_id = fields.String(load_default=None)


SightingPage = page_schema(SightingSchema, "SightingPage")
TicketPage = page_schema(TicketSchema, "TicketPage")

"""Gate request and reply shapes."""
from marshmallow import EXCLUDE, Schema, fields, validate

from backend.common.schemas import PageArgs, page_schema


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


class SightingSchema(Schema):
    id = fields.String()
    mine_id = fields.String()
    lane = fields.String()
    device_id = fields.String()
    direction = fields.String()
    plate = fields.String()
    plate_color = fields.String(allow_none=True)
    vehicle_color = fields.String(allow_none=True)
    vehicle_type = fields.String(allow_none=True)
    confidence = fields.Float(allow_none=True)
    image_ref = fields.String(allow_none=True)
    source = fields.String()
    at = fields.Integer()
    vehicle_id = fields.String(allow_none=True)
    waybill_id = fields.String(allow_none=True)
    qr_scan_id = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)
    threshold = fields.Float(allow_none=True)
    signals = fields.List(fields.Dict(), allow_none=True)
    rules = fields.List(fields.String(), allow_none=True)
    evidence = fields.Dict(allow_none=True)
    decision = fields.String(allow_none=True)
    alert_id = fields.String(allow_none=True)
    tare_kg = fields.Integer(allow_none=True)


class SightingReply(Schema):
    sighting = fields.Nested(SightingSchema)
    identification = fields.Nested(IdentifyResult)


class QrScanReply(Schema):
    scan_id = fields.String()
    identification = fields.Nested(IdentifyResult)


class TicketSchema(Schema):
    id = fields.String()
    waybill_id = fields.String()
    kind = fields.String()
    mine_id = fields.String()
    vehicle_id = fields.String(allow_none=True)
    plate = fields.String(allow_none=True)
    device_id = fields.String()
    kg = fields.Integer()
    axles = fields.Integer(allow_none=True)
    tare_kg = fields.Integer(allow_none=True)
    gross_kg = fields.Integer(allow_none=True)
    net_kg = fields.Integer(allow_none=True)
    limits = fields.Dict(allow_none=True)
    problems = fields.List(fields.Dict(), allow_none=True)
    held = fields.Boolean()
    at = fields.Integer()


class WeighingReply(Schema):
    counted = fields.Boolean()
    reason = fields.String(allow_none=True)
    ticket = fields.Nested(TicketSchema, allow_none=True)


class MineListArgs(PageArgs):
    mine_id = fields.String(load_default=None)


class TicketListArgs(MineListArgs):
    waybill_id = fields.String(load_default=None)


SightingPage = page_schema(SightingSchema, "SightingPage")
TicketPage = page_schema(TicketSchema, "TicketPage")

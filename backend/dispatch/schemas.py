"""Request and reply shapes for the hall, carrier dispatch and quotas."""
from marshmallow import Schema, fields, validate

from backend.common.schemas import PageArgs, PointSchema


class HallArgs(Schema):
    lon = fields.Float(load_default=None, validate=validate.Range(min=-180, max=180))
    lat = fields.Float(load_default=None, validate=validate.Range(min=-90, max=90))
    mine_id = fields.String(load_default=None)
    product_id = fields.String(load_default=None)
    min_freight_fen_per_t = fields.Integer(load_default=None, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


class HallLoadSchema(Schema):
    id = fields.String()
    mine_id = fields.String()
    mine_name = fields.String()
    mine_name_en = fields.String()
    product_id = fields.String()
    tonnage_kg = fields.Integer()
    freight_fen_per_t = fields.Integer(allow_none=True)
    wanted_date = fields.String(allow_none=True)
    destination_address = fields.String(allow_none=True)
    distance_to_mine_m = fields.Integer(allow_none=True)
    haul_distance_m = fields.Integer(allow_none=True)
    created_at = fields.Integer()
    version = fields.Integer()


class HallList(Schema):
    items = fields.List(fields.Nested(HallLoadSchema))


class GrabArgs(Schema):
    vehicle_id = fields.String(required=True)
    where = fields.Nested(PointSchema, load_default=None)


class ReasonArgs(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class EntrustedArgs(PageArgs):
    status = fields.String(load_default="all", validate=validate.OneOf(("pending", "accepted", "all")))


class AssignArgs(Schema):
    driver_id = fields.String(required=True)
    vehicle_id = fields.String(required=True)
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class QuotaArgs(Schema):
    date = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}-\d{2}-\d{2}$"))


class RecomputeArgs(QuotaArgs):
    mine_id = fields.String(load_default=None)


class QuotaSchema(Schema):
    shipper_id = fields.String()
    shipper_name = fields.String()
    mine_id = fields.String()
    date = fields.String()
    quota = fields.Integer()
    used = fields.Integer()
    left = fields.Integer()
    remaining_trucks = fields.Integer()


class PlanSchema(Schema):
    mine_id = fields.String()
    mine_name = fields.String()
    date = fields.String()
    capacity_kg = fields.Integer()
    truck_load_kg = fields.Integer()
    capacity_trucks = fields.Integer()
    allotted_trucks = fields.Integer()
    computed_at = fields.Integer()
    quotas = fields.List(fields.Nested(QuotaSchema))


class QuotaReply(Schema):
    date = fields.String()
    plans = fields.List(fields.Nested(PlanSchema))
    quotas = fields.List(fields.Nested(QuotaSchema))


class VehicleChoiceSchema(Schema):
    id = fields.String()
    plate = fields.String()
    plate_color = fields.String()
    rated_load_kg = fields.Integer()


class VehicleChoices(Schema):
    items = fields.List(fields.Nested(VehicleChoiceSchema))

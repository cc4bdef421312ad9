"""Request and reply shapes for the hall, carrier dispatch and quotas."""

from marshmallow import Schema, fields, validate

from backend.common.schemas import PageArgs, PointSchema, model_schema
from backend.dispatch.models import QuotaPlan, ShipperQuota


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
    road_distance_m = fields.Integer(allow_none=True)  # what the buyer's quote charged for (orders.pricing)
    freight_fen_per_truck = fields.Integer(allow_none=True)
    shipper_name = fields.String(allow_none=True)
    shipper_phone = fields.String(allow_none=True)
    mine_point = fields.List(fields.Float())
    destination_point = fields.List(fields.Float(), allow_none=True)
    created_at = fields.Integer()
    version = fields.Integer()


class HallList(Schema):
    items = fields.List(fields.Nested(HallLoadSchema))
    # For a driver: the credit gate (grade, suspended, loads hidden by shippers' minimum grade, the deposit rule).
    trust = fields.Dict(allow_none=True)


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


# The records as they are, with the names people read beside the ids (dispatch.quotas joins them); the plan's
# lock marker and shipper count and the quota's composite key stay internal.
QuotaSchema = model_schema(
    ShipperQuota,
    "Quota",
    exclude=("plan_key", "updated_at"),
    extra={"shipper_name": fields.String(), "left": fields.Function(lambda q: max(q.quota - q.used, 0))},
)
PlanSchema = model_schema(
    QuotaPlan,
    "Plan",
    exclude=("shippers", "lock_until"),
    extra={"mine_name": fields.String(), "quotas": fields.List(fields.Nested(QuotaSchema))},
)


class QuotaReply(Schema):
    date = fields.String()
    plans = fields.List(fields.Nested(PlanSchema))
    quotas = fields.List(fields.Nested(QuotaSchema))


class VehicleChoiceSchema(Schema):
    id = fields.String()
    plate = fields.String()
    plate_color = fields.String()
    rated_load_kg = fields.Integer()
    busy = fields.Boolean()  # on an active load: the picker shows it greyed out, and a grab with it is 409
    busy_waybill_id = fields.String(allow_none=True)  # the asking driver's own load only


class VehicleChoices(Schema):
    items = fields.List(fields.Nested(VehicleChoiceSchema))


class PartySchema(Schema):
    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class LoadContacts(Schema):
    waybill_id = fields.String()
    shipper = fields.Nested(PartySchema, allow_none=True)
    buyer = fields.Nested(PartySchema, allow_none=True)
    carrier = fields.Nested(PartySchema, allow_none=True)
    gate = fields.Nested(PartySchema, allow_none=True)
    mine_point = fields.List(fields.Float())
    destination_point = fields.List(fields.Float(), allow_none=True)
    destination_address = fields.String(allow_none=True)

"""Request and reply shapes of the catalogue and of site onboarding."""

from marshmallow import Schema, fields, validate

from backend.catalogue import service
from backend.catalogue.models import Mine, Product
from backend.common.schemas import PointSchema, model_schema

SITE_KINDS = ("mine", "plant", "rail_yard")
LANE_DIRECTIONS = ("in", "out", "both")
_ID = validate.Regexp(r"^[A-Za-z0-9_-]{1,32}$", error="letters, digits, _ or -, at most 32")
_SITE_ID = validate.Regexp(r"^[a-z][a-z0-9_]{2,39}$", error="lower-case letters, digits or _, 3 to 40, a letter first")

# Fields from the models (written once); available_kg never shows below zero.
ProductSchema = model_schema(
    Product, "Product", rename={"product_id": "id"}, extra={"available_kg": fields.Function(service.available_kg)}
)
# The mine as the catalogue shows it: planning numbers and the directory key stay internal.
MineSchema = model_schema(
    Mine,
    "Mine",
    rename={"mine_id": "id"},
    exclude=(
        "loading_lanes",
        "trucks_per_lane_hour",
        "parking_drive_minutes",
        "window_minutes",
        "day_start_hour",
        "day_end_hour",
        "directory",
        "created_at",
        "updated_at",
    ),
    extra={"products": fields.List(fields.Nested(ProductSchema))},
)
# The whole site as its keepers see it: lanes, fences, slot template and products.
SiteSchema = model_schema(
    Mine,
    "Site",
    rename={"mine_id": "id"},
    exclude=("directory",),
    extra={"products": fields.List(fields.Nested(ProductSchema))},
)


class MineListSchema(Schema):
    items = fields.List(fields.Nested(MineSchema))


class SiteListSchema(Schema):
    items = fields.List(fields.Nested(SiteSchema))


class LaneArgs(Schema):
    """A gate lane: devices are registered on one (e.g. lane 1 in, lane 2 out)."""

    id = fields.String(required=True, validate=_ID)
    name = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name_en = fields.String(load_default=None, validate=validate.Length(max=64))
    direction = fields.String(load_default="both", validate=validate.OneOf(LANE_DIRECTIONS))


class SiteProductArgs(Schema):
    """A product sold at the site; an existing id updates it (products are never deleted here)."""

    id = fields.String(required=True, validate=_ID)
    name = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name_en = fields.String(required=True, validate=validate.Length(min=1, max=64))
    price_fen_per_t = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000_000))
    plan_kg = fields.Integer(validate=validate.Range(min=0, max=10_000_000_000))
    inventory_kg = fields.Integer(validate=validate.Range(min=0, max=10_000_000_000))
    calorific_kcal = fields.Integer(allow_none=True, validate=validate.Range(min=1000, max=8000))


class SitePatchArgs(Schema):
    """Any of a site's fields; lanes and fences are replaced whole, products are added or updated by id."""

    kind = fields.String(validate=validate.OneOf(SITE_KINDS))
    name = fields.String(validate=validate.Length(min=1, max=64))
    name_en = fields.String(validate=validate.Length(min=1, max=64))
    location = fields.Nested(PointSchema, metadata={"description": "GeoJSON Point of the gate, [lon, lat] WGS-84"})
    gate_fence = fields.Dict(metadata={"description": "GeoJSON Polygon: the check-in area at the gate"})
    parking_fence = fields.Dict(metadata={"description": "GeoJSON Polygon: where called trucks wait"})
    lanes = fields.List(fields.Nested(LaneArgs), validate=validate.Length(min=1, max=20))
    products = fields.List(fields.Nested(SiteProductArgs), validate=validate.Length(max=50))
    # The slot template: windows of window_minutes from day_start_hour to day_end_hour (Asia/Shanghai),
    # loading_lanes × trucks_per_lane_hour seats an hour; unset hours/minutes follow the SLOT_* settings.
    window_minutes = fields.Integer(allow_none=True, validate=validate.Range(min=10, max=240))
    day_start_hour = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=23))
    day_end_hour = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=24))
    loading_lanes = fields.Integer(validate=validate.Range(min=1, max=50))
    trucks_per_lane_hour = fields.Integer(validate=validate.Range(min=1, max=120))
    avg_truck_load_kg = fields.Integer(validate=validate.Range(min=1000, max=49000))
    parking_drive_minutes = fields.Integer(validate=validate.Range(min=0, max=240))
    sales_org_id = fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=128),
        metadata={"description": "the shipper organisation selling this site's coal retail (its sales company)"},
    )
    gate_phone = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^\+?[0-9][0-9 -]{4,19}$", error="a phone number"),
        metadata={"description": "the gate's phone, which drivers on a load at this site can call"},
    )


class SiteArgs(SitePatchArgs):
    """A new site: kind, names, location, fences and at least one lane; products and template optional."""

    id = fields.String(load_default=None, validate=_SITE_ID, metadata={"description": "chosen id (else generated)"})
    kind = fields.String(required=True, validate=validate.OneOf(SITE_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name_en = fields.String(required=True, validate=validate.Length(min=1, max=64))
    location = fields.Nested(PointSchema, required=True)
    gate_fence = fields.Dict(required=True)
    parking_fence = fields.Dict(required=True)
    lanes = fields.List(fields.Nested(LaneArgs), required=True, validate=validate.Length(min=1, max=20))

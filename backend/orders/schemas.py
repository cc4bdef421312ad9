"""Request and reply shapes for orders."""

from marshmallow import Schema, fields, validate

from backend.common.schemas import PageArgs, PointSchema, model_schema, page_schema
from backend.orders.models import Allocation
from backend.waybills.routes import WaybillSchema


class PolygonSchema(Schema):
    """A GeoJSON Polygon ([lon, lat] rings)."""

    type = fields.String(required=True, validate=validate.Equal("Polygon"))
    coordinates = fields.List(
        fields.List(fields.List(fields.Float(), validate=validate.Length(equal=2)), validate=validate.Length(min=4)),
        required=True,
    )


class DestinationSchema(Schema):
    address = fields.String(required=True, validate=validate.Length(min=2, max=200))
    point = fields.Nested(PointSchema, required=True)
    polygon = fields.Nested(PolygonSchema, load_default=None)
    radius_m = fields.Integer(load_default=None)  # no polygon: the arrival fence's radius (default: the setting)
    place_code = fields.String(load_default=None, validate=validate.Length(max=20))  # picked from /api/places/search


class QuoteArgs(Schema):
    mine_id = fields.String(required=True)
    product_id = fields.String(required=True)
    tonnage_kg = fields.Integer(required=True)
    destination = fields.Nested(DestinationSchema, required=True)


class RetailArgs(QuoteArgs):
    wanted_date = fields.String(load_default=None)
    buyer_phone = fields.String(load_default=None)  # a shipper ordering on a buyer's behalf
    # The total the buyer was shown (GET a quote first): a different current price is refused (409 quote_changed).
    quote_total_fen = fields.Integer(load_default=None, validate=validate.Range(min=0))


class BulkArgs(QuoteArgs):
    trucks = fields.Integer(required=True)
    wanted_date = fields.String(load_default=None)
    carrier_id = fields.String(load_default=None)  # entrust every load to this carrier
    freight_fen_per_t = fields.Integer(load_default=None, validate=validate.Range(min=1))  # or publish them


class QuoteSchema(Schema):
    mine_id = fields.String()
    product_id = fields.String()
    tonnage_kg = fields.Integer()
    road_distance_m = fields.Integer()
    price_fen_per_t = fields.Integer()
    freight_fen_per_t = fields.Integer()
    freight_fen_per_tkm = fields.Integer()
    coal_fen = fields.Integer()
    freight_fen = fields.Integer()
    total_fen = fields.Integer()
    available_kg = fields.Integer()


class BulkReply(Schema):
    order_id = fields.String()
    items = fields.List(fields.Nested(WaybillSchema))


class CsvIds(fields.String):
    """A comma-separated list of ids in a query string."""

    def _deserialize(self, value, attr, data, **kwargs):
        return [part for part in super()._deserialize(value, attr, data, **kwargs).split(",") if part]


class CompanyArgs(Schema):
    ids = CsvIds(required=True, validate=validate.Length(min=1, max=50))  # after splitting: at most 50 ids


class CompanySchema(Schema):
    id = fields.String()
    name = fields.String()


class CompanyList(Schema):
    items = fields.List(fields.Nested(CompanySchema))


class CarrierFitSchema(Schema):
    """The loads a carrier's active trucks can take (rated loads only: which trucks, no plates)."""

    carrier_id = fields.String()
    trucks = fields.Integer()  # active trucks that take at least one legal truckload
    largest_kg = fields.Integer(allow_none=True)
    suggested_kg = fields.Integer(allow_none=True)  # what at least half of them can take, in half tonnes
    rated_loads_kg = fields.List(fields.Integer())


class EntrustArgs(Schema):
    carrier_id = fields.String(required=True)


class PublishArgs(Schema):
    freight_fen_per_t = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))


class DestinationFenceArgs(Schema):
    """A new arrival fence for a load: the site's polygon, or a circle of radius_m around the delivery point."""

    polygon = fields.Nested(PolygonSchema, load_default=None)
    radius_m = fields.Integer(load_default=None)


class CancelArgs(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


# The record as it is; the "<mine_id>#<product_id>" sort key stays internal.
AllocationSchema = model_schema(Allocation, "Allocation", exclude=("allocation_key", "created_at"))


class AllocationListArgs(PageArgs):
    shipper_id = fields.String(load_default=None)


class GrantArgs(Schema):
    shipper_id = fields.String(required=True)
    mine_id = fields.String(required=True)
    product_id = fields.String(required=True)
    kg = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000_000_000))


AllocationPage = page_schema(AllocationSchema, "AllocationPage")

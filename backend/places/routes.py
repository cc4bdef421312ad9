"""Places API: gazetteer search, a person's saved delivery addresses, and the map's tile configuration."""

from marshmallow import Schema, fields, validate

from backend.common.access import current_principal, roles_required, signed_in
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.schemas import PointSchema, model_schema
from backend.places import service
from backend.places.models import SavedPlace

blp = Blueprint("places", __name__, url_prefix="/api/places", description="Places people pick (地点)")
ORDERING = ("buyer", "shipper")  # the roles that name a delivery place


class SearchArgs(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=40))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=50))


class PlaceSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String(metadata={"description": "county, town, village or site"})
    county_code = fields.String(allow_none=True)
    context = fields.String(metadata={"description": "the town and county it lies in"})
    point = fields.List(fields.Float(), metadata={"description": "[lon, lat] WGS-84"})
    approx = fields.Boolean(metadata={"description": "the point is the county seat's or town's: pin it"})


class PlaceList(Schema):
    items = fields.List(fields.Nested(PlaceSchema))


class SaveArgs(Schema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=40))
    address = fields.String(required=True, validate=validate.Length(min=2, max=200))
    point = fields.Nested(PointSchema, required=True)
    place_code = fields.String(load_default=None, validate=validate.Length(max=20))


SavedSchema = model_schema(SavedPlace, "SavedPlace", rename={"place_id": "id"}, exclude=("user_id",))


class SavedList(Schema):
    items = fields.List(fields.Nested(SavedSchema))


class MapConfigSchema(Schema):
    provider = fields.String(metadata={"description": "none, osm or tianditu"})
    layers = fields.List(fields.String(), metadata={"description": "Leaflet URL templates, bottom first"})
    subdomains = fields.String()
    max_zoom = fields.Integer()
    attribution = fields.String()


@blp.route("/search", methods=["GET"])
@roles_required(*ORDERING, "dispatcher", "admin")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, PlaceList)
def search(args):
    """Towns, villages and counties whose name holds the words (a packaged index in memory)."""
    return {"items": service.search(**args)}


@blp.route("/saved", methods=["GET"])
@roles_required(*ORDERING)
@blp.response(200, SavedList)
def list_saved():
    """My saved delivery addresses."""
    return {"items": service.list_saved(user_id=current_principal().user_id)}


@blp.route("/saved", methods=["POST"])
@roles_required(*ORDERING)
@blp.arguments(SaveArgs)
@blp.response(201, SavedSchema)
def save(args):
    """Keep a delivery address (its county is kept from the picked place)."""
    return service.save(user_id=current_principal().user_id, now_ms=now_ms(), **args)


@blp.route("/saved/<place_id>", methods=["DELETE"])
@roles_required(*ORDERING)
@blp.response(204)
def delete(place_id):
    """Forget a saved address."""
    service.delete(user_id=current_principal().user_id, place_id=place_id)


@blp.route("/map", methods=["GET"])
@signed_in
@blp.response(200, MapConfigSchema)
def map_config():
    """The tile layers under our own map layers (none: the GeoJSON alone)."""
    return service.map_config()

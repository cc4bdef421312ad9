"""Browse mines and products."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.catalogue import service
from backend.common.access import signed_in

blp = Blueprint("catalogue", __name__, url_prefix="/api/catalogue", description="Mines and coal products")


class ProductSchema(Schema):
    mine_id = fields.String()
    id = fields.String()
    name = fields.String()
    name_en = fields.String()
    price_fen_per_t = fields.Integer()
    calorific_kcal = fields.Integer(allow_none=True)
    plan_kg = fields.Integer()
    inventory_kg = fields.Integer()
    reserved_kg = fields.Integer()
    available_kg = fields.Integer()


class MineSchema(Schema):
    id = fields.String()
    name = fields.String()
    name_en = fields.String()
    location = fields.Dict()
    gate_fence = fields.Dict()
    parking_fence = fields.Dict()
    avg_truck_load_kg = fields.Integer()
    products = fields.List(fields.Nested(ProductSchema))


class MineListSchema(Schema):
    items = fields.List(fields.Nested(MineSchema))


@blp.route("/mines", methods=["GET"])
@signed_in
@blp.response(200, MineListSchema)
def list_mines():
    """Mines with their products, prices (fen per tonne) and inventory (kg)."""
    return {"items": service.list_mines()}

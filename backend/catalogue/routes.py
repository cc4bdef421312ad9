"""Browse mines and products; mine staff keep prices, the day's plan and inventory."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.catalogue import service
from backend.catalogue.schemas import MineListSchema, ProductSchema
from backend.common.access import current_principal, roles_required, signed_in
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms

blp = Blueprint("catalogue", __name__, url_prefix="/api/catalogue", description="Mines and coal products")


class ProductPatchArgs(Schema):
    price_fen_per_t = fields.Integer(validate=validate.Range(min=1, max=10_000_000))
    plan_kg = fields.Integer(validate=validate.Range(min=0, max=10_000_000_000))
    inventory_kg = fields.Integer(validate=validate.Range(min=0, max=10_000_000_000))

    @validates_schema
    def _something(self, data, **_):
        if not data:
            raise ValidationError("give at least one of price_fen_per_t, plan_kg, inventory_kg", "price_fen_per_t")


@blp.route("/mines", methods=["GET"])
@signed_in
@blp.response(200, MineListSchema)
def list_mines():
    """Mines with their products, prices (fen per tonne) and inventory (kg)."""
    return {"items": service.mines_with_products()}


@blp.route("/mines/<mine_id>/products/<product_id>", methods=["PATCH"])
@roles_required("gate", "admin")
@blp.arguments(ProductPatchArgs)
@blp.response(200, ProductSchema)
def update_product(args, mine_id, product_id):
    """Mine staff (of this mine) or an admin set price, today's production plan or inventory."""
    return service.update_product(
        principal=current_principal(), mine_id=mine_id, product_id=product_id, now_ms=now_ms(), **args
    )

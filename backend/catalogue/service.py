"""The catalogue everyone signed in can browse."""
from backend.catalogue import store
from backend.common.errors import NotFound


def mine_view(mine):
    return {"id": mine.mine_id, "name": mine.name, "name_en": mine.name_en, "location": mine.location,
            "gate_fence": mine.gate_fence, "parking_fence": mine.parking_fence,
            "avg_truck_load_kg": mine.avg_truck_load_kg}


def product_view(product):
    return {"mine_id": product.mine_id, "id": product.product_id, "name": product.name,
            "name_en": product.name_en, "price_fen_per_t": product.price_fen_per_t,
            "calorific_kcal": product.calorific_kcal, "plan_kg": product.plan_kg,
            "inventory_kg": product.inventory_kg, "reserved_kg": product.reserved_kg,
            "available_kg": max(product.inventory_kg - product.reserved_kg, 0)}


def list_mines():
    """Mines with their products."""
    return [dict(mine_view(m), products=[product_view(p) for p in store.list_products(m.mine_id)])
            for m in store.list_mines()]


def get_mine(mine_id):
    mine = store.get_mine(mine_id)
    if mine is None:
        raise NotFound("mine_not_found", "mine not found")
    return mine

"""Mines and products."""
from pynamodb.exceptions import DoesNotExist

from backend.catalogue.models import Mine, Product


def list_mines():
    """All mines (a handful per coal group: a scan over a tiny table)."""
    return sorted(Mine.scan(), key=lambda m: m.mine_id)


def get_mine(mine_id):
    try:
        return Mine.get(mine_id)
    except DoesNotExist:
        return None


def list_products(mine_id):
    return list(Product.query(mine_id))


def get_product(mine_id, product_id):
    try:
        return Product.get(mine_id, product_id)
    except DoesNotExist:
        return None

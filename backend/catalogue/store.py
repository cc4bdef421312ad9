"""Mines and products; stock changes are conditional updates so inventory never goes below zero."""

from pynamodb.exceptions import DoesNotExist, UpdateError

from backend.catalogue.models import DIRECTORY, Mine, Product


class StockConflict(Exception):
    """The product's stock changed, or would go below what is reserved."""


def list_mines():
    """All mines, by id, through the directory index."""
    return list(Mine.in_directory.query(DIRECTORY))


def get_mine(mine_id):
    try:
        return Mine.get(mine_id)
    except DoesNotExist:
        return None


def list_products(mine_id):
    return list(Product.query(mine_id))


def get_product(mine_id, product_id, consistent=False):
    try:
        return Product.get(mine_id, product_id, consistent_read=consistent)
    except DoesNotExist:
        return None


def reserve_op(mine_id, product_id, tonnage_kg):
    """A transaction step reserving stock for an order: only while enough is available."""
    product = Product(mine_id, product_id)
    return lambda tx: tx.update(
        product,
        actions=[Product.available_kg.add(-tonnage_kg), Product.reserved_kg.add(tonnage_kg)],
        condition=Product.available_kg >= tonnage_kg,
    )


def release_op(mine_id, product_id, tonnage_kg):
    """A transaction step giving a cancelled order's reservation back."""
    product = Product(mine_id, product_id)
    return lambda tx: tx.update(
        product,
        actions=[Product.available_kg.add(tonnage_kg), Product.reserved_kg.add(-tonnage_kg)],
        condition=Product.reserved_kg >= tonnage_kg,
    )


def loaded_op(mine_id, product_id, *, net_kg, reserved_kg):
    """A transaction step for coal that left on a truck: stock down by the net weight, the order's reservation freed."""
    product = Product(mine_id, product_id)
    condition = Product.reserved_kg >= reserved_kg if reserved_kg else Product.mine_id.exists()
    return lambda tx: tx.update(
        product,
        actions=[
            Product.inventory_kg.add(-net_kg),
            Product.reserved_kg.add(-reserved_kg),
            Product.available_kg.add(reserved_kg - net_kg),
        ],
        condition=condition,
    )


def update_product(product, *, now_ms, price_fen_per_t=None, plan_kg=None, inventory_kg=None):
    """Set price, plan or inventory; an inventory change moves available_kg by the same delta, atomically."""
    actions, condition = [Product.updated_at.set(now_ms)], Product.mine_id.exists()
    if price_fen_per_t is not None:
        actions.append(Product.price_fen_per_t.set(price_fen_per_t))
    if plan_kg is not None:
        actions.append(Product.plan_kg.set(plan_kg))
    if inventory_kg is not None:
        delta = inventory_kg - product.inventory_kg
        actions += [Product.inventory_kg.set(inventory_kg), Product.available_kg.add(delta)]
        # Concurrent orders keep reserving: cut inventory only if what is left still covers them.
        condition &= Product.inventory_kg == product.inventory_kg
        if delta < 0:
            condition &= Product.available_kg >= -delta
    try:
        product.update(actions=actions, condition=condition)
    except UpdateError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise StockConflict() from error
        raise
    return get_product(product.mine_id, product.product_id, consistent=True)


def backfill_available(product):
    """Give a product written without available_kg (older seed data) its value once."""
    try:
        product.update(
            actions=[Product.available_kg.set(product.inventory_kg - product.reserved_kg)],
            condition=Product.available_kg.does_not_exist(),
        )
    except UpdateError:
        pass

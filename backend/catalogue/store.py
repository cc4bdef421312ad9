"""Mines and products; stock changes are conditional updates so inventory never goes below zero."""

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError

from backend import db
from backend.catalogue.models import DIRECTORY, Mine, Product


class StockConflict(Exception):
    """The product's stock changed, or would go below what is reserved."""


class SiteConflict(Exception):
    """The site id is taken (create), or the site or a product changed since it was read (edit)."""


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


def _commit(steps):
    try:
        with db.transaction() as tx:
            for step in steps:
                step(tx)
    except TransactWriteError as error:
        if getattr(error, "cause_response_code", None) == "TransactionCanceledException":
            raise SiteConflict() from error
        raise


def create_site(site, products):
    """A new site and its products in one transaction: all written, or none (an id already taken fails it)."""
    steps = [lambda tx: tx.save(site, condition=Mine.mine_id.does_not_exist())]
    steps += [lambda tx, p=p: tx.save(p, condition=Product.mine_id.does_not_exist()) for p in products]
    _commit(steps)
    return site


def _product_update_op(product, *, now_ms, changes):
    """Set a listed product's fields; an inventory change moves available_kg by the same delta (as update_product)."""
    actions = [Product.updated_at.set(now_ms)]
    actions += [getattr(Product, name).set(value) for name, value in changes.items() if name != "inventory_kg"]
    condition = Product.mine_id.exists()
    inventory = changes.get("inventory_kg")
    if inventory is not None and inventory != product.inventory_kg:
        delta = inventory - product.inventory_kg
        actions += [Product.inventory_kg.set(inventory), Product.available_kg.add(delta)]
        condition &= Product.inventory_kg == product.inventory_kg
        if delta < 0:
            condition &= Product.available_kg >= -delta
    return lambda tx: tx.update(product, actions=actions, condition=condition)


def update_site(site, *, read_at, new_products, changed_products, now_ms):
    """A site's new record, its new products and its changed ones in one transaction, only if nothing moved since.

    `read_at` is the updated_at the edit was based on; `changed_products` is [(product record, {field: value})].
    """
    steps = [lambda tx: tx.save(site, condition=Mine.updated_at == read_at)]
    steps += [lambda tx, p=p: tx.save(p, condition=Product.mine_id.does_not_exist()) for p in new_products]
    steps += [_product_update_op(p, now_ms=now_ms, changes=c) for p, c in changed_products]
    _commit(steps)
    return site

"""The catalogue everyone signed in can browse, and the mine staff who keep it."""

import time

from backend.catalogue import directory, store
from backend.common.errors import ApiError, Conflict, NotFound
from backend.common.schemas import Joined


def available_kg(product):
    """What can still be promised to orders (never negative)."""
    value = product.available_kg if product.available_kg is not None else product.inventory_kg - product.reserved_kg
    return max(value, 0)


def mines_with_products():
    """The catalogue: every mine with its products beside it."""
    return [Joined(m, products=store.list_products(m.mine_id)) for m in store.list_mines()]


def list_mines():
    """Every mine record (a coal group has a handful)."""
    return store.list_mines()


def mine_directory(*, naming=()):
    """{mine_id: Mine} of every mine from this process's copy of bounded age, read again when it lacks a mine in
    `naming` (catalogue/directory.py): what the order hall reads on every poll."""
    return directory.mines(naming=naming)


def get_mine(mine_id):
    mine = store.get_mine(mine_id)
    if mine is None:
        raise NotFound("mine_not_found", "mine not found")
    return mine


def get_product(mine_id, product_id):
    product = store.get_product(mine_id, product_id)
    if product is None:
        raise NotFound("product_not_found", "product not found", details={"fields": {"product_id": ["unknown"]}})
    return product


def _require_mine_staff(principal, mine_id):
    """Mine staff (gate role) keep only their own mine; admins keep any."""
    if principal.role == "admin":
        return
    if principal.role != "gate" or principal.mine_id != mine_id:
        raise ApiError("forbidden_tenant", "only this mine's staff may edit its catalogue", status=403)


def update_product(*, principal, mine_id, product_id, now_ms, **changes):
    """Set a product's price, today's production plan or inventory."""
    _require_mine_staff(principal, mine_id)
    get_mine(mine_id)
    product = get_product(mine_id, product_id)
    try:
        return store.update_product(product, now_ms=now_ms, **changes)
    except store.StockConflict:
        raise Conflict(
            "inventory_below_reserved",
            "inventory cannot drop below what orders have reserved (or it just changed; retry)",
            details={"fields": {"inventory_kg": ["below reserved"]}, "reserved_kg": product.reserved_kg},
        ) from None


# -- reads and steps other domains use (only this domain names its tables) ------------------------


def find_mine(mine_id):
    """A mine record or None."""
    return store.get_mine(mine_id)


def list_products(mine_id):
    """A mine's products."""
    return store.list_products(mine_id)


def find_product(mine_id, product_id):
    """A product record or None."""
    return store.get_product(mine_id, product_id)


def slot_template(mine):
    """The site's own slot template values (window minutes, day hours) that override the SLOT_* settings."""
    names = ("window_minutes", "day_start_hour", "day_end_hour")
    return {name: int(getattr(mine, name)) for name in names if getattr(mine, name, None) is not None}


_SITES = {}
_SITE_TTL_S = 30  # gate devices post many reads a minute; a lane removed elsewhere counts after at most this


def forget_site(mine_id):
    """Drop this process's cached copy of a site (it was just edited here)."""
    _SITES.pop(mine_id, None)


def site_and_lane(mine_id, lane_id):
    """(site, lane dict) a gate device stands at, either None when unknown; sites are cached briefly per process."""
    cached = _SITES.get(mine_id)
    site = cached[1] if cached and cached[0] > time.monotonic() else None
    if site is None and mine_id:
        site = store.get_mine(mine_id)
        if site is not None:  # only found sites are kept: one created elsewhere must be seen at once
            _SITES[mine_id] = (time.monotonic() + _SITE_TTL_S, site)
    lane = next((lane for lane in (site.lanes or []) if lane["id"] == lane_id), None) if site else None
    return site, lane


def reserve_step(mine_id, product_id, tonnage_kg):
    """A transaction step reserving coal for an order (fails when not enough is available)."""
    return store.reserve_op(mine_id, product_id, tonnage_kg)


def release_step(mine_id, product_id, tonnage_kg):
    """A transaction step giving a reservation back."""
    return store.release_op(mine_id, product_id, tonnage_kg)


def loaded_step(mine_id, product_id, *, net_kg, reserved_kg):
    """A transaction step taking loaded coal out of inventory and ending its reservation."""
    return store.loaded_op(mine_id, product_id, net_kg=net_kg, reserved_kg=reserved_kg)

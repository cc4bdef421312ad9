"""Onboarding and keeping sites (mines, plants, rail yards): lanes, fences, products and slot template.

Everything is checked first (site_rules), then the site and its products are one transaction; the
fences follow through the geofences domain (same polygons, already validated) and the site's windows
are opened through backend.events, so a new site is bookable at once.
"""

from backend import events
from backend.catalogue import directory, service, site_rules, store
from backend.catalogue.models import Mine, Product
from backend.common.errors import Conflict, Forbidden, NotFound, field_error
from backend.common.ids import new_id
from backend.common.schemas import Joined
from backend.config import setting
from backend.geofences import service as geofences

TEMPLATE = ("window_minutes", "day_start_hour", "day_end_hour")
PRODUCT_FIELDS = ("name", "name_en", "price_fen_per_t", "plan_kg", "inventory_kg", "calorific_kcal")
FENCE_KINDS = {"gate_fence": ("gate", "门岗签到区"), "parking_fence": ("parking", "待装停车场")}


def _check_sales_org(fields):
    """A selling shipper named for the site must be a shipper organisation (its orders land in that shipper's list)."""
    org_id = fields.get("sales_org_id")
    if org_id is None:
        return
    org = events.listeners("org_read")[0](org_id)
    if org is None or org.kind != "shipper":
        raise field_error("sales_org_id", "no shipper organisation with this id")


def _template_defaults():
    return {name: setting(f"SLOT_{name.upper()}") for name in TEMPLATE}


def _may_read(principal, site_id):
    if principal.role in ("admin", "dispatcher") or (principal.role == "gate" and principal.mine_id == site_id):
        return
    raise Forbidden("forbidden_tenant", "gate staff see only their own site")


def _may_keep(principal, site_id):
    if principal.role == "admin" or (principal.role == "gate" and principal.mine_id == site_id):
        return
    raise Forbidden("forbidden_tenant", "only this site's staff or an admin may edit it")


def _product_record(site_id, product, now_ms):
    inventory = product.get("inventory_kg") or 0
    return Product(
        site_id,
        product["id"],
        name=product["name"],
        name_en=product["name_en"],
        price_fen_per_t=product["price_fen_per_t"],
        calorific_kcal=product.get("calorific_kcal"),
        plan_kg=product.get("plan_kg") or 0,
        inventory_kg=inventory,
        reserved_kg=0,
        available_kg=inventory,
        updated_at=now_ms,
    )


def _site_fields(site):
    """The record's own attributes from a checked site dict (products and id aside)."""
    return {k: v for k, v in site.items() if k not in ("products", "id")}


def _sync_fences(principal, site, fields, now_ms):
    """Write the site's gate/parking fences that changed into the geofences domain (fixed ids: one of each)."""
    for field in fields:
        kind, label = FENCE_KINDS[field]
        fence_id = f"fence_{site.mine_id}_{kind}"
        try:
            geofences.get(fence_id)
        except NotFound:
            geofences.create(
                principal=principal,
                kind=kind,
                name=f"{site.name} {label}",
                mine_id=site.mine_id,
                geometry=getattr(site, field),
                now_ms=now_ms,
                fence_id=fence_id,
            )
            continue
        geofences.update(principal=principal, fence_id=fence_id, geometry=getattr(site, field), now_ms=now_ms)


def _saved(principal, site, *, fences, now_ms):
    """After the commit: fences, the cached copy other containers' gates read, and the site's windows."""
    _sync_fences(principal, site, fences, now_ms)
    service.forget_site(site.mine_id)
    events.publish("site_saved", mine=site, now_ms=now_ms, days=setting("SLOT_DAYS_AHEAD"))
    return Joined(site, products=store.list_products(site.mine_id))


def create_site(*, principal, now_ms, id=None, **fields):
    """Onboard a site with its lanes, fences, products and slot template; all of it or nothing."""
    if principal.role != "admin":
        raise Forbidden("forbidden_role", "only an admin onboards a site")
    site_rules.check_site(fields, template_defaults=_template_defaults())
    _check_sales_org(fields)
    site_id = id or new_id(fields["kind"].replace("_", ""))
    record = Mine(site_id, **_site_fields(fields), created_at=now_ms, updated_at=now_ms)
    products = [_product_record(site_id, p, now_ms) for p in fields.get("products") or []]
    try:
        store.create_site(record, products)
    except store.SiteConflict:
        raise Conflict("site_exists", f"site {site_id} already exists", details={"fields": {"id": ["taken"]}}) from None
    directory.forget()
    return _saved(principal, record, fences=site_rules.FENCES, now_ms=now_ms)


def _as_dict(site, products):
    fields = {name: getattr(site, name) for name in Mine.get_attributes() if name not in ("mine_id", "directory")}
    fields["products"] = [{"id": p.product_id, **{f: getattr(p, f) for f in PRODUCT_FIELDS}} for p in products]
    return fields


def _changes(existing, patch_products):
    """(new product dicts, [(record, changed fields)]) of a patch's products against the stored ones."""
    stored = {p.product_id: p for p in existing}
    new, changed = [], []
    for product in patch_products or []:
        record = stored.get(product["id"])
        if record is None:
            new.append(product)
            continue
        diff = {f: product[f] for f in PRODUCT_FIELDS if f in product and product[f] != getattr(record, f)}
        if diff:
            changed.append((record, diff))
    return new, changed


def update_site(*, principal, site_id, now_ms, **patch):
    """Edit a site: the patch applied to the stored site is checked whole, then written in one transaction."""
    if not patch:
        raise field_error("name", "give at least one field to change")
    _may_keep(principal, site_id)
    site = service.get_mine(site_id)
    products = store.list_products(site_id)
    whole = site_rules.merged(_as_dict(site, products), patch)
    site_rules.check_site(whole, template_defaults=_template_defaults())
    _check_sales_org(patch)
    read_at = site.updated_at
    for name, value in patch.items():
        if name != "products":
            setattr(site, name, value)
    site.updated_at = max(now_ms, read_at + 1)  # the next edit's condition must see a change
    new, changed = _changes(products, patch.get("products"))
    try:
        store.update_site(
            site,
            read_at=read_at,
            new_products=[_product_record(site_id, p, now_ms) for p in new],
            changed_products=changed,
            now_ms=now_ms,
        )
    except store.SiteConflict:
        raise Conflict(
            "site_changed",
            "the site or a product's stock changed meanwhile (or inventory would go below reserved); read and retry",
        ) from None
    directory.forget()
    return _saved(principal, site, fences=[f for f in site_rules.FENCES if f in patch], now_ms=now_ms)


def get_site(*, principal, site_id):
    """One site with its products, for its keepers and the dispatch centre."""
    _may_read(principal, site_id)
    return Joined(service.get_mine(site_id), products=store.list_products(site_id))


def list_sites(*, principal):
    """Every site for admins and the dispatch centre; gate staff get their own."""
    if principal.role == "gate":
        site = store.get_mine(principal.mine_id) if principal.mine_id else None
        sites = [site] if site else []
    else:
        sites = store.list_mines()
    return [Joined(s, products=store.list_products(s.mine_id)) for s in sites]

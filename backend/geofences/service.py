"""Keeping fences (admins and a mine's gate staff) and asking which fences hold a point."""

import math

from backend.common.errors import ApiError, Forbidden, NotFound, field_error
from backend.common.ids import new_id
from backend.config import setting
from backend.geofences import index, store
from backend.geofences.models import Fence
from backend.geofences.validation import validate_polygon

CIRCLE_CORNERS = 32  # a 300 m circle drawn with 32 corners is within 1.5 m of the true circle
RADIUS_RANGE_M = (50, 3000)  # a farm gate to a power plant's coal yard

KINDS = store.KINDS


def _may_edit(principal, mine_id):
    if principal.role == "admin":
        return
    if principal.role == "gate" and mine_id and principal.mine_id == mine_id:
        return
    raise Forbidden("forbidden_tenant", "mine staff keep only their own mine's fences")


def get(fence_id):
    fence = store.get(fence_id)
    if fence is None:
        raise NotFound("fence_not_found", "fence not found")
    return fence


def create(*, principal, kind, name, geometry, now_ms, mine_id=None, fence_id=None):
    """Validate and store a fence."""
    if kind not in KINDS:
        raise field_error("kind", f"one of {', '.join(KINDS)}")
    if kind in ("gate", "parking") and not mine_id:
        raise field_error("mine_id", "gate and parking fences belong to a mine")
    _may_edit(principal, mine_id)
    _, area = validate_polygon(geometry)
    fence = Fence(
        fence_id or new_id("fence"),
        kind=kind,
        name=name,
        mine_id=mine_id,
        geometry=geometry,
        area_m2=area,
        created_by=principal.user_id,
        created_at=now_ms,
        updated_at=now_ms,
    )
    store.save(fence)
    index.invalidate()
    return fence


def update(*, principal, fence_id, now_ms, geometry=None, name=None):
    """Replace a fence's polygon or name."""
    fence = get(fence_id)
    _may_edit(principal, fence.mine_id)
    if geometry is not None:
        _, fence.area_m2 = validate_polygon(geometry)
        fence.geometry = geometry
    if name is not None:
        fence.name = name
    fence.updated_at = now_ms
    store.save(fence)
    index.invalidate()
    return fence


def delete(*, principal, fence_id):
    fence = get(fence_id)
    _may_edit(principal, fence.mine_id)
    store.delete(fence)
    index.invalidate()


def fences_at(*, lon, lat, now_ms, kinds=None, mine_id=None):
    """The fences holding a point, optionally only some kinds or one mine's."""
    hits = index.current(now_ms).containing(lon, lat)
    return [f for f in hits if (kinds is None or f["kind"] in kinds) and (mine_id is None or f["mine_id"] == mine_id)]


def _named(prefix, name):
    return f"{prefix}.{name}" if prefix else name


def circle(point, radius_m, corners=CIRCLE_CORNERS):
    """A GeoJSON Polygon approximating a circle of radius_m around [lon, lat] (closed, counter-clockwise)."""
    lon, lat = point[0], point[1]
    kx = 111_320 * math.cos(math.radians(lat))
    ring = [
        [
            round(lon + radius_m * math.cos(2 * math.pi * i / corners) / kx, 6),
            round(lat + radius_m * math.sin(2 * math.pi * i / corners) / 110_540, 6),
        ]
        for i in range(corners)
    ]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def destination_fence(*, point, polygon=None, radius_m=None, field=None):
    """The arrival fence of a delivery point: the site's own polygon when drawn, else a circle of radius_m (or
    DESTINATION_FENCE_RADIUS_M) around the point. Validated; errors name `field`. Kept on the waybill's destination
    (tracking's arrival and the receipt's position check read it there), never in the fences table: the spatial
    index is built from every fence, and one per order would make it grow with history."""
    drawn = polygon is not None
    if not drawn:
        radius_m = radius_m or setting("DESTINATION_FENCE_RADIUS_M")
        low, high = RADIUS_RANGE_M
        if not low <= radius_m <= high:
            raise field_error(_named(field, "radius_m"), f"a delivery fence is {low}-{high} m across the site")
        polygon = circle(point, radius_m)
    try:
        shape, _ = validate_polygon(polygon)
    except ApiError as error:
        why = (error.details.get("fields") or {}).get("geometry") or [error.message]
        raise field_error(_named(field, "polygon"), why[0], code="invalid_geometry") from None
    from shapely.geometry import Point

    if shape.distance(Point(point[0], point[1])) > 0.01:  # ~1 km: the fence must be where the truck is sent
        raise field_error(_named(field, "polygon"), "the fence must hold the delivery point (or lie within 1 km of it)")
    return {"polygon": polygon, "radius_m": None if drawn else radius_m}

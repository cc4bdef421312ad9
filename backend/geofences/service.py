"""Keeping fences (admins and a mine's gate staff) and asking which fences hold a point."""

from backend.common.errors import Forbidden, NotFound, field_error
from backend.common.ids import new_id
from backend.geofences import index, store
from backend.geofences.models import Fence
from backend.geofences.validation import validate_polygon

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

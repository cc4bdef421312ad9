"""Demo fences (each mine's gate area and waiting lot) and windows for today and tomorrow; safe to re-run."""

from backend.appointments.windows import service as windows
from backend.catalogue import store as catalogue_store
from backend.geofences import index
from backend.geofences import store as fence_store
from backend.geofences.models import Fence
from backend.geofences.validation import validate_polygon
from backend.seed import demo_data


def _fence(fence_id, *, kind, name, mine_id, geometry, now_ms):
    if fence_store.get(fence_id) is not None:
        return
    _, area = validate_polygon(geometry)
    fence_store.save(
        Fence(
            fence_id,
            kind=kind,
            name=name,
            mine_id=mine_id,
            geometry=geometry,
            area_m2=area,
            created_by="seed",
            created_at=now_ms,
            updated_at=now_ms,
        )
    )


def load_appointments(now_ms):
    """Fences from every mine's gate and parking polygons; windows opened for today and tomorrow."""
    # Only the demo mines: the demo loader must never touch records users created since.
    mines = [catalogue_store.get_mine(m["mine_id"]) for m in demo_data.MINES]
    for mine in mines:
        _fence(
            f"fence_{mine.mine_id}_gate",
            kind="gate",
            name=f"{mine.name} 门岗签到区",
            mine_id=mine.mine_id,
            geometry=mine.gate_fence,
            now_ms=now_ms,
        )
        _fence(
            f"fence_{mine.mine_id}_parking",
            kind="parking",
            name=f"{mine.name} 待装停车场",
            mine_id=mine.mine_id,
            geometry=mine.parking_fence,
            now_ms=now_ms,
        )
    index.invalidate()
    windows.open_slots(now_ms=now_ms, days=2, mine_ids=[m.mine_id for m in mines])

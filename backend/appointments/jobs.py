"""The appointments domain's scheduled work (called from backend/jobs_registry.py)."""
from backend.appointments import queue, slots


def open_slots_work(*, now_ms):
    """Open windows N days ahead at every mine (idempotent)."""
    return slots.open_slots(now_ms=now_ms)


def expire_no_shows_work(*, now_ms):
    """Requeue once, then expire, trucks that did not come."""
    return queue.expire_no_shows(now_ms=now_ms)

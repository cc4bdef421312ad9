"""The work each scheduled job does: one function per job, taking now_ms, returning a summary dict."""


def open_slots_work(*, now_ms):
    """The appointments domain's slot opener: windows N days ahead at every mine (idempotent)."""
    from backend.appointments.jobs import open_slots_work as work
    return work(now_ms=now_ms)


def compute_quotas_work(*, now_ms):
    """The dispatch domain's quota planner: today's plan for every mine."""
    from backend.dispatch.quotas import compute_quotas_work as work
    return work(now_ms=now_ms)


def expire_no_shows_work(*, now_ms):
    """The appointments domain's no-show expiry: requeue once, then expire."""
    from backend.appointments.jobs import expire_no_shows_work as work
    return work(now_ms=now_ms)

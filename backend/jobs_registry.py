"""The work each scheduled job does: one function per job, taking now_ms, returning a summary dict."""


def open_slots_work(*, now_ms):
    """Replaced by the appointments domain's slot opener."""
    return {"opened": 0}


def compute_quotas_work(*, now_ms):
    """Replaced by the dispatch domain's quota planner."""
    return {"plans": 0}


def expire_no_shows_work(*, now_ms):
    """Replaced by the appointments domain's no-show expiry."""
    return {"expired": 0}

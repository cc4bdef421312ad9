"""Scheduled jobs: Zappa's events call these module-level functions (event, context).

Each delegates to its domain's service; the domains register their work in JOBS below.
"""
import logging

from backend.common.clock import now_ms

log = logging.getLogger("coalhaul.jobs")
_app = {}


def _ensure_app():
    # Binding the models needs the config; the wsgi app does it once per container.
    if "app" not in _app:
        from backend.wsgi import app
        _app["app"] = app
    return _app["app"]


def _run(name, work):
    app = _ensure_app()
    with app.app_context():
        result = work(now_ms=now_ms())
    log.info("job %s done: %s", name, result)
    return result


def open_slots(event=None, context=None):
    """Open appointment windows N days ahead (appointments domain)."""
    from backend.jobs_registry import open_slots_work
    return _run("open_slots", open_slots_work)


def compute_quotas(event=None, context=None):
    """Compute today's balanced-hauling quotas (dispatch domain)."""
    from backend.jobs_registry import compute_quotas_work
    return _run("compute_quotas", compute_quotas_work)


def expire_no_shows(event=None, context=None):
    """Expire bookings of trucks that never came (appointments domain)."""
    from backend.jobs_registry import expire_no_shows_work
    return _run("expire_no_shows", expire_no_shows_work)

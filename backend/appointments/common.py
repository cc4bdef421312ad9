"""Small pieces every appointments sub-package uses: access rules and the retry of a lost race."""

import random
import time

from backend.common.errors import ApiError, Forbidden, NotFound
from backend.waybills import service as waybills


def require_mine(principal, mine_id):
    """Gate staff act only at their own mine; the dispatch centre and admins anywhere."""
    if principal.role in ("admin", "dispatcher", "system"):
        return
    if getattr(principal, "mine_id", None) != mine_id:
        raise Forbidden("forbidden_tenant", "gate staff work only at their own mine")


def drivers_waybill(principal, waybill_id, waybill=None):
    """The signed-in driver's own waybill (404 for anyone else's)."""
    waybill = waybill if waybill is not None else waybills.get(waybill_id)
    if waybill.driver_id != principal.user_id:
        raise NotFound("waybill_not_found", "waybill not found")
    return waybill


def retry_busy(work, attempts=4):
    """Run a waybill transition again when it lost a race on a hot slot (a 409 busy), with jitter."""
    for attempt in range(attempts):
        try:
            return work()
        except ApiError as error:
            if error.code != "busy" or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))

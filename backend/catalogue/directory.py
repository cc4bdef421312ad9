"""The mine directory as the order hall reads it on every poll: this process's copy, of bounded age.

Every hall page shows each load's mine (its name, and how far it is from the driver), so every poll read every
mine's record: a Query that grows with the number of mines, for records an admin edits a few times a year. The
copy is read again once it is MINE_DIRECTORY_SECONDS old, or at once when a load names a mine it lacks (one
onboarded since), and this process forgets it when it onboards or edits a site. A name or place edited in another
container shows here within the bound. The container's start reads it on a thread of its own (backend/wsgi.py).
"""

import logging
import threading
import time

from backend.catalogue import store
from backend.config import setting

log = logging.getLogger(__name__)
_lock = threading.Lock()
_copy = {"mines": None, "read_at": 0.0}


def mines(*, naming=()):
    """{mine_id: Mine} for every mine: the copy while it is fresh and names every mine in `naming`, else one Query.

    Threads that find the copy stale wait for one read rather than each making its own."""
    with _lock:
        current = _copy["mines"]
        if current is None or _stale() or any(mine_id not in current for mine_id in naming):
            began = time.monotonic()
            current = {mine.mine_id: mine for mine in store.list_mines()}
            if setting("MINE_DIRECTORY_SECONDS") > 0:
                _copy.update(mines=current, read_at=began)
        return current


def _stale():
    return time.monotonic() - _copy["read_at"] >= setting("MINE_DIRECTORY_SECONDS")


def forget():
    """A site was onboarded or edited here: the next reader reads the directory again."""
    with _lock:
        _copy["mines"] = None


def prefetch_in_background(app):
    """Container start: read the directory on a daemon thread while the routes load (quietly left to the first
    hall request if the store cannot be reached yet). Returns the thread."""

    def read():
        with app.app_context():
            try:
                mines()
            except Exception as error:  # the first hall request reads it instead
                log.info("mine directory not read at start (%s); the first hall request reads it", type(error).__name__)

    thread = threading.Thread(target=read, name="mine-directory-prefetch", daemon=True)
    thread.start()
    return thread

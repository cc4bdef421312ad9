"""Access tokens of a disabled account (or one whose password was reset) stop working within seconds, on reads too.

Access tokens are not looked up per request (CONTRIBUTING "Design notes": token revocation). Instead each
process keeps the recent session cut-offs (`SessionCutoff`: user, tokens_after) in memory and asks the store
for them again when its copy is older than REVOCATION_POLL_SECONDS: one Query per process per interval,
whatever the traffic, and its size is the revocations of the last access-token lifetime, never the history.
A token issued before its user's cut-off is refused with 401 token_revoked. Older cut-offs need not be kept:
every access token issued before them has expired by then.
"""

import logging
import threading
import time

from backend.auth import store
from backend.config import setting

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cache = {"fetched": None, "cutoffs": {}}


def token_lifetime_ms():
    return int(setting("JWT_ACCESS_MINUTES") * 60_000)


def cutoff_expiry_ms(tokens_after):
    """When a cut-off may go: every access token it could refuse has expired by then (plus a minute of clock skew)."""
    return tokens_after + token_lifetime_ms() + 60_000


def _fresh_cutoffs(now_ms):
    poll = setting("REVOCATION_POLL_SECONDS")
    fetched = _cache["fetched"]
    if fetched is not None and time.monotonic() - fetched < poll:
        return _cache["cutoffs"]
    with _lock:
        if _cache["fetched"] is None or time.monotonic() - _cache["fetched"] >= poll:
            # Stamp the time before the read: a cut-off written during it is fetched by the next poll.
            started = time.monotonic()
            _cache["cutoffs"] = store.cutoffs_since(now_ms - token_lifetime_ms() - 60_000)
            _cache["fetched"] = started
    return _cache["cutoffs"]


def refresh():
    """Read the cut-offs now (start-up warm-up, and tests that count a request's own calls)."""
    _cache["fetched"] = None
    _fresh_cutoffs(int(time.time() * 1000))


def prefetch_in_background(app):
    """Container start: read the cut-offs on a daemon thread while the container finishes starting.

    The first request then finds them fresh instead of making the read itself (and on AWS, the read has opened
    the pooled TLS connection to DynamoDB too). A request that arrives while the read is in flight waits for it
    (the lock) rather than reading again. If the store cannot be reached yet, the read fails quietly and the
    first request reads the cut-offs as it always did. Returns the thread (None when revocation is off)."""
    with app.app_context():
        if setting("REVOCATION_POLL_SECONDS") < 0:
            return None

    def read():
        with app.app_context():
            try:
                _fresh_cutoffs(int(time.time() * 1000))
            except Exception as error:  # the first request reads them instead
                log.info(
                    "revocation cut-offs not read at start (%s); the first request reads them", type(error).__name__
                )

    thread = threading.Thread(target=read, name="revocation-prefetch", daemon=True)
    thread.start()
    return thread


def access_revoked(claims):
    """True when this access token was issued before its user's sessions were ended (same rule as session_check)."""
    if setting("REVOCATION_POLL_SECONDS") < 0:
        return False  # switched off: access tokens then live out JWT_ACCESS_MINUTES
    cutoff = _fresh_cutoffs(int(time.time() * 1000)).get(claims.get("sub"))
    return cutoff is not None and (claims.get("iat", 0) + 1) * 1000 <= cutoff

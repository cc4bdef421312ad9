"""A call-in wave tells many drivers at once: their deliveries run side by side, awaited before the reply.

Each delivery is mostly waiting on DynamoDB and the SMS provider, so a wave of 50 drivers run one after the
other costs 50 times those waits. Inside a request, `submit` starts the work on a small shared pool and the
request's after-hook waits for all of it, so nothing is left running once the reply is sent (a Lambda is frozen
after it answers). Outside an API request (jobs, scripts, tests) the work runs at once, in the caller's thread.
"""

import logging
from concurrent.futures import ThreadPoolExecutor, wait

from flask import after_this_request, current_app, g, has_request_context, request

WORKERS = 8  # DynamoDB Local and Aliyun both take this many at once; a wave of 50 is ~7 rounds
log = logging.getLogger("coalhaul.notify")
_pool = {}


def _executor():
    if "pool" not in _pool:
        _pool["pool"] = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="notify")
    return _pool["pool"]


def _in_api_request():
    # Only a request being dispatched to an API view runs its after-hooks; a bare request context (a test's,
    # a script's) never does, so work started there would never be awaited.
    return has_request_context() and request.url_rule is not None and request.url_rule.rule.startswith("/api/")


def submit(work):
    """Run `work()` now (outside an API request: its result), or beside it, awaited before the reply (None)."""
    if not _in_api_request():
        return work()
    app = current_app._get_current_object()

    def in_app():
        with app.app_context():
            return work()

    pending = g.setdefault("notify_pending", [])
    if not pending:
        after_this_request(_await_all)
    pending.append(_executor().submit(in_app))
    return None


def _await_all(response):
    """The request's after-hook: every delivery it started has finished (each logs its own fault)."""
    done, _ = wait(g.pop("notify_pending", []))
    for future in done:
        if future.exception() is not None:
            log.error("a notification failed: %s", future.exception())
    return response

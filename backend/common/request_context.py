"""A request id on every reply and every log line; logs never carry secrets."""

import logging
import re
import uuid

from flask import g, has_request_context, request

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    """Adds request_id to each record so the format string can print it."""

    def filter(self, record):
        record.request_id = getattr(g, "request_id", "-") if has_request_context() else "-"
        return True


def configure_logging(level):
    """One handler on the coalhaul logger; INFO in production (DEBUG would log headers)."""
    logger = logging.getLogger("coalhaul")
    if not any(isinstance(f, RequestIdFilter) for h in logger.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger


def assign_request_id():
    """Take a well-formed X-Request-Id from the caller (API Gateway sets one) or make one."""
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex


def add_request_id(response):
    response.headers["X-Request-Id"] = getattr(g, "request_id", "")
    # Only the method, path and status: never bodies, tokens or query strings.
    logging.getLogger("coalhaul.http").info("%s %s %s", request.method, request.path, response.status_code)
    return response

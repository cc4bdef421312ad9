"""The OpenAPI document describes the errors each operation really answers, in our one error shape.

flask-smorest documents a 422 in its own shape for every operation with arguments; we answer invalid
input with a 400 in {"error": {"code", "message", "details", "request_id"}} (backend/common/errors.py).
Which codes an operation can answer follows from how it is reached: every request passes the edge (400)
and may meet a store outage (503); protected ones can be 401/403; paths with ids 404; writes 409 (state)
and 422 (an Idempotency-Key reused with another body); public sign-in/registration 429.
"""

import http
import re

STATUSES = (400, 401, 403, 404, 409, 422, 429, 503)
WRITES = {"post", "put", "patch", "delete"}
_PARAM = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def register(spec):
    """Register our error responses as components; {status: $ref}."""
    return {status: spec.components.get_ref("response", http.HTTPStatus(status).name) for status in STATUSES}


def _codes(method, rule, access):
    codes = {400, 503}
    if "public" in access:
        codes.add(429)
    else:
        codes |= {401, 403}
    if rule.arguments:
        codes.add(404)
    if method in WRITES:
        codes |= {409, 422}
    return codes


def document(doc, app, refs):
    """The built document with every operation's error responses pointing at our error components."""
    for rule in app.url_map.iter_rules():
        item = doc["paths"].get(_PARAM.sub(r"{\1}", rule.rule))
        if not item:
            continue
        access = getattr(app.view_functions[rule.endpoint], "access", None) or {}
        for method in (m.lower() for m in rule.methods):
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted(_codes(method, rule, access)):
                responses[str(status)] = refs[status]
    return doc

"""ETag replies for polling screens: 304 with no body when the client's copy is current (cheap on bad signal)."""

import hashlib
import json

from flask import current_app, request


def etagged(schema, body):
    """Reply `body` dumped by `schema` with an ETag of its content; 304 when If-None-Match already names it."""
    payload = json.dumps(schema().dump(body), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    tag = hashlib.sha256(payload.encode()).hexdigest()[:24]
    if request.if_none_match.contains(tag):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(payload, mimetype="application/json")
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache"
    return response

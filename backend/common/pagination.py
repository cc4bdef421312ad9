"""Cursor pagination: the cursor is DynamoDB's LastEvaluatedKey, signed, opaque to clients.

A client could otherwise hand us any key (wrong types, another table's key, 2 KB values) and DynamoDB
would fail the query with a 500. The cursor carries an HMAC over the key and the list it came from
(path and filters), so a forged, altered or borrowed cursor is a 400 naming `cursor`.
"""

import base64
import hashlib
import hmac
import json

from flask import has_request_context, request

from backend.common.errors import field_error
from backend.config import setting

MAX_LIMIT = 100
MAC_BYTES = 16  # 128-bit tag: unforgeable, and keeps cursors short in URLs
_PAGE_ARGS = ("cursor", "limit")


def _b64(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text):
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def _scope():
    """The list a cursor belongs to: path and filters, so a cursor only continues the list that made it."""
    if not has_request_context():
        return b""
    filters = sorted((k, v) for k, v in request.args.items(multi=True) if k not in _PAGE_ARGS)
    return json.dumps([request.path, filters], ensure_ascii=False, separators=(",", ":")).encode()


def _tag(payload):
    # A key of its own, derived from the token secret: a cursor tag can never pass as anything else's MAC.
    key = hmac.new(setting("JWT_SECRET_KEY").encode(), b"coalhaul cursor v1", hashlib.sha256).digest()
    return hmac.new(key, _scope() + b"\n" + payload, hashlib.sha256).digest()[:MAC_BYTES]


def decode_cursor(cursor):
    """The last evaluated key a cursor stands for (None for the first page); a 400 for anything we did not sign."""
    if not cursor:
        return None
    try:
        payload_text, tag_text = cursor.split(".")
        payload, tag = _unb64(payload_text), _unb64(tag_text)
    except (ValueError, UnicodeError):
        raise field_error("cursor", "malformed cursor") from None
    if not hmac.compare_digest(tag, _tag(payload)):
        raise field_error("cursor", "not a cursor this list gave out")
    key = json.loads(payload.decode())
    if not isinstance(key, dict):
        raise field_error("cursor", "malformed cursor")
    return key


def encode_cursor(last_evaluated_key):
    """An opaque, signed cursor for the next page (None when there is none)."""
    if not last_evaluated_key:
        return None
    payload = json.dumps(last_evaluated_key, separators=(",", ":")).encode()  # ASCII: any stored key encodes
    return f"{_b64(payload)}.{_b64(_tag(payload))}"


def page(items, last_evaluated_key):
    """The list reply shape shared by every list endpoint."""
    return {"items": items, "next_cursor": encode_cursor(last_evaluated_key)}


def clamp_limit(limit, default=20):
    if limit is None:
        return default
    return max(1, min(int(limit), MAX_LIMIT))

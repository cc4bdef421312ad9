"""Cursor pagination: the cursor is DynamoDB's LastEvaluatedKey, opaque to clients."""

import base64
import json

from backend.common.errors import field_error

MAX_LIMIT = 100


def decode_cursor(cursor):
    """The last evaluated key a cursor stands for (None for the first page)."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        raise field_error("cursor", "malformed cursor") from None
    if not isinstance(key, dict):
        raise field_error("cursor", "malformed cursor")
    return key


def encode_cursor(last_evaluated_key):
    """An opaque cursor for the next page (None when there is none)."""
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def page(items, last_evaluated_key):
    """The list reply shape shared by every list endpoint."""
    return {"items": items, "next_cursor": encode_cursor(last_evaluated_key)}


def clamp_limit(limit, default=20):
    if limit is None:
        return default
    return max(1, min(int(limit), MAX_LIMIT))

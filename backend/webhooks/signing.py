"""Signing a webhook: HMAC-SHA256 over "<timestamp>.<body>", one v1= per valid secret (two during a rotation).

A receiver recomputes the HMAC with its secret over the timestamp header, a dot and the raw body, compares it
in constant time with any v1= value, and refuses timestamps older than a few minutes (replays). See README.md.
"""

import hashlib
import hmac
import secrets

HEADER_SIGNATURE = "X-CoalHaul-Signature"
HEADER_TIMESTAMP = "X-CoalHaul-Timestamp"
HEADER_EVENT = "X-CoalHaul-Event-Id"


def new_secret():
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret, timestamp, body):
    """The hex HMAC-SHA256 of "<timestamp>.<body>" (body as the exact bytes sent)."""
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def valid_secrets(subscription, now_ms):
    """The current secret, and the one it replaced while its overlap lasts."""
    found = [subscription.secret]
    if subscription.old_secret and (subscription.old_secret_until or 0) > now_ms:
        found.append(subscription.old_secret)
    return found


def headers(subscription, event_id, body, now_ms):
    """The headers of one delivery."""
    timestamp = now_ms // 1000
    signed = ",".join(f"v1={signature(s, timestamp, body)}" for s in valid_secrets(subscription, now_ms))
    return {
        "Content-Type": "application/json",
        "User-Agent": "CoalHaul-Webhooks/1",
        HEADER_EVENT: event_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: signed,
    }

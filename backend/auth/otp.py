"""SMS one-time codes for registration and password reset: 6 digits, keyed hash at rest, short life, few tries."""

import hashlib
import hmac
import secrets

from backend.auth import store
from backend.common import store as common_store
from backend.common.errors import ApiError, field_error

PURPOSES = ("register", "reset")
TEMPLATES = {"register": "otp_register", "reset": "otp_reset"}
HOUR_S = 3600


def _key(purpose, phone):
    return f"{purpose}#{phone}"


def code_hash(*, secret, purpose, phone, code):
    """HMAC of the code: a stolen table cannot be brute-forced offline without the server's key."""
    message = f"{purpose}:{phone}:{code}".encode()
    return hmac.new((secret + ":otp").encode(), message, hashlib.sha256).hexdigest()


def new_code():
    return f"{secrets.randbelow(1_000_000):06d}"


def _limit(key, *, limit, window_s, now_ms):
    start = now_ms // 1000 // window_s * window_s
    if not common_store.hit_counter(key=f"{key}#{start}", limit=limit, now_ms=now_ms, window_seconds=window_s):
        retry = max(start + window_s - now_ms // 1000, 1)
        raise ApiError(
            "rate_limited", "too many codes requested; try again later", status=429, headers={"Retry-After": str(retry)}
        )


def check_send_limits(*, phone, address, now_ms, limits):
    """Per phone: one code a resend interval and a few an hour; per address: a few dozen an hour."""
    _limit(f"otp#addr#{address}", limit=limits["per_address"], window_s=HOUR_S, now_ms=now_ms)
    _limit(f"otp#gap#{phone}", limit=1, window_s=limits["resend_seconds"], now_ms=now_ms)
    _limit(f"otp#phone#{phone}", limit=limits["per_phone"], window_s=HOUR_S, now_ms=now_ms)


def send(*, purpose, phone, secret, now_ms, ttl_seconds, sms):
    """Store a fresh code's hash and text it (sms(phone, template, params))."""
    code = new_code()
    hashed = code_hash(secret=secret, purpose=purpose, phone=phone, code=code)
    store.put_code(key=_key(purpose, phone), code_hash=hashed, now_ms=now_ms, ttl_seconds=ttl_seconds)
    sms(phone, TEMPLATES[purpose], {"code": code})


def wrong_code():
    # One reply for a wrong, expired, used-up or never-sent code: it tells a guesser nothing.
    return field_error("otp", "wrong or expired code; request a new one")


def verify(*, purpose, phone, code, secret, now_ms, ttl_seconds, max_attempts):
    """Use up one try; the code is consumed when right. Any failure is the same 400 on `otp`."""
    key = _key(purpose, phone)
    record = store.take_attempt(key, max_attempts=max_attempts)
    if record is None or now_ms - record.sent_at > ttl_seconds * 1000:
        raise wrong_code()
    given = code_hash(secret=secret, purpose=purpose, phone=phone, code=str(code or "").strip())
    if not hmac.compare_digest(given, record.code_hash) or not store.consume_code(key, code_hash=given):
        raise wrong_code()

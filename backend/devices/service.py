"""Registering devices and authenticating their signed requests."""

import hmac
import secrets

from backend.common import store as common_store
from backend.common.errors import ApiError, field_error
from backend.common.ids import new_id
from backend.devices import signing, store
from backend.devices.models import Device

DEVICE_KINDS = ("camera", "weighbridge", "qr_scanner", "gps_gateway")


def register_device(*, kind, name, mine_id, master_key, now_ms):
    """Create a device; its key is returned once, here, and never again."""
    if kind not in DEVICE_KINDS:
        raise field_error("kind", f"one of {', '.join(DEVICE_KINDS)}")
    device = store.save_device(
        Device(new_id("dev"), kind=kind, name=name, mine_id=mine_id, key_salt=secrets.token_hex(8), created_at=now_ms)
    )
    return device, signing.derive_key(master_key, device.device_id, device.key_salt)


def _reject(code, message):
    return ApiError(code, message, status=401)


def authenticate(
    *,
    device_id,
    timestamp,
    signature,
    method,
    path,
    body,
    master_key,
    max_skew_ms,
    now_ms,
    store=store,
    seen=common_store,
):
    """The device for a correctly signed, fresh, first-seen request; 401 otherwise (tests pass fake stores)."""
    if not device_id or not timestamp or not signature:
        raise _reject("device_auth_required", "X-Device-Id, X-Timestamp and X-Signature are required")
    try:
        timestamp_ms = int(timestamp)
    except ValueError:
        raise _reject("device_bad_timestamp", "X-Timestamp must be epoch milliseconds") from None
    if abs(now_ms - timestamp_ms) > max_skew_ms:
        raise _reject("device_stale_request", "the request timestamp is too old or in the future")
    device = store.get_device(device_id)
    if device is None or device.status != "active":
        raise _reject("device_unknown", "unknown or disabled device")
    key = signing.derive_key(master_key, device.device_id, device.key_salt)
    expected = signing.sign(key, method, path, timestamp_ms, body)
    if not hmac.compare_digest(expected, signature.lower()):
        raise _reject("device_bad_signature", "the signature does not match")
    # A signature is valid for max_skew either side of now; remember it that long to refuse replays.
    ttl_s = max_skew_ms * 2 // 1000 + 60
    if not seen.claim_once(key=f"sig#{device_id}#{signature.lower()}", now_ms=now_ms, ttl_seconds=ttl_s):
        raise _reject("device_replayed", "this signed request was already received")
    return device


def list_devices(kinds):
    """Every registered device of the given kinds (an operator's list: a few hundred at most)."""
    return store.list_devices(kinds)

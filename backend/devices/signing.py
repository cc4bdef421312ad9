"""HMAC request signing for devices: over method, path, timestamp and the body's hash."""

import hashlib
import hmac


def derive_key(master_key, device_id, salt):
    """A device's secret, recomputable from the master key so it never sits in the database."""
    return hmac.new(master_key.encode(), f"{device_id}:{salt}".encode(), hashlib.sha256).hexdigest()


def string_to_sign(method, path, timestamp_ms, body):
    return "\n".join([method.upper(), path, str(timestamp_ms), hashlib.sha256(body).hexdigest()])


def sign(key, method, path, timestamp_ms, body):
    """Hex HMAC-SHA256 of the canonical request."""
    return hmac.new(key.encode(), string_to_sign(method, path, timestamp_ms, body).encode(), hashlib.sha256).hexdigest()


def signed_headers(device_id, key, method, path, body, timestamp_ms):
    """The headers a device sends (used by devices' SDK, tests and benchmarks)."""
    return {
        "X-Device-Id": device_id,
        "X-Timestamp": str(timestamp_ms),
        "X-Signature": sign(key, method, path, timestamp_ms, body),
    }

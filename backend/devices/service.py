"""Registering devices and authenticating their signed requests."""

import hmac
import secrets

from backend.catalogue import service as catalogue_service
from backend.common import store as common_store
from backend.common.errors import ApiError, NotFound, field_error
from backend.common.ids import new_id
from backend.devices import signing, store
from backend.devices.models import Device

DEVICE_KINDS = ("camera", "weighbridge", "qr_scanner", "gps_gateway")


SITE_DEVICES = ("camera", "weighbridge", "qr_scanner")  # stand on a site's gate lane; a GPS gateway on none


def _may_register(principal, mine_id):
    if principal is None or principal.role == "admin":
        return
    if principal.role != "gate" or not mine_id or principal.mine_id != mine_id:
        raise ApiError("forbidden_tenant", "gate staff register devices only at their own site", status=403)


def check_place(kind, mine_id, lane_id):
    """A gate device's site and lane must exist (400 naming the field); a GPS gateway belongs to no site."""
    if kind not in SITE_DEVICES:
        if mine_id or lane_id:
            raise field_error("mine_id", f"a {kind} belongs to no site")
        return
    if not mine_id:
        raise field_error("mine_id", f"a {kind} stands at a site: required")
    site, lane = catalogue_service.site_and_lane(mine_id, lane_id)
    if site is None:
        raise field_error("mine_id", f"no site {mine_id}")
    if lane is None:
        known = ", ".join(lane["id"] for lane in site.lanes or []) or "none yet: add lanes to the site first"
        raise field_error("lane_id", f"no lane {lane_id} at {mine_id} (its lanes: {known})")


def register_device(*, kind, name, mine_id, master_key, now_ms, lane_id=None, principal=None):
    """Create a device at an existing site and lane; its key is returned once, here, and never again.

    `principal` None is the code's own registration (demo loader, tests): the site must still exist, but a
    device without a lane is allowed there and pairs reads by the lane its payloads name.
    """
    if kind not in DEVICE_KINDS:
        raise field_error("kind", f"one of {', '.join(DEVICE_KINDS)}")
    _may_register(principal, mine_id)
    if principal is not None or lane_id is not None:
        check_place(kind, mine_id, lane_id)
    elif kind in SITE_DEVICES and catalogue_service.site_and_lane(mine_id, None)[0] is None:
        raise field_error("mine_id", f"no site {mine_id}")
    device = store.save_device(
        Device(
            new_id("dev"),
            kind=kind,
            name=name,
            mine_id=mine_id,
            lane_id=lane_id,
            key_salt=secrets.token_hex(8),
            created_at=now_ms,
        )
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


def list_devices(*, principal, mine_id=None):
    """Registered devices: a site's (gate staff: only their own), or every one for admins and dispatch."""
    if principal.role == "gate":
        if mine_id and mine_id != principal.mine_id:
            raise ApiError("forbidden_tenant", "gate staff see only their own site's devices", status=403)
        mine_id = principal.mine_id
        if not mine_id:
            return []
    if mine_id:
        return store.site_devices(mine_id)
    return store.list_devices(DEVICE_KINDS)


def revoke_device(*, principal, device_id, now_ms):
    """Revoke a device (stolen, broken, replaced): its key stops working at once; registering anew gives a new one."""
    device = store.get_device(device_id)
    if device is None:
        raise NotFound("device_not_found", "no such device")
    _may_register(principal, device.mine_id)  # who may register a site's devices may revoke them
    if device.status == "revoked":
        return device
    return store.revoke(device, salt=secrets.token_hex(8), now_ms=now_ms)

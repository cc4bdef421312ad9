"""Joining a carrier: its invite code, the sign-ups waiting for its approval, approving or refusing them.

An invite code is the carrier's id (base32, so people never read an internal id) with a keyed check (HMAC under
JWT_SECRET_KEY): no table holds codes, a typo or a guess is refused without a read, rotating the key changes
every code. A driver or a carrier's staff
who signs up with it waits ("pending", unable to sign in) until the carrier's admin approves.
"""

import base64
import binascii
import hashlib
import hmac

from backend import events
from backend.auth import store
from backend.common.errors import ApiError, NotFound, field_error
from backend.config import setting

CHECK_CHARS = 6
PAGE = 100  # a carrier's people fit one page (a fleet is a few dozen drivers)


def _check(org_id):
    key = setting("JWT_SECRET_KEY").encode()
    return hmac.new(key, f"invite:{org_id}".encode(), hashlib.sha256).hexdigest()[:CHECK_CHARS].upper()


def invite_code(org_id):
    """The code a carrier hands to people joining it (shown on its 加入申请 screen)."""
    return f"{base64.b32encode(org_id.encode()).decode().rstrip('=')}-{_check(org_id)}"


def _org_id(encoded):
    """The org id inside a code's first part, or None when it is not base32 of one."""
    padded = encoded.upper() + "=" * (-len(encoded) % 8)
    try:
        return base64.b32decode(padded).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def carrier_for_code(code):
    """The carrier organisation an invite code names; a 400 naming the field when the code is not one."""
    encoded, _, check = (code or "").strip().rpartition("-")
    org_id = _org_id(encoded) if encoded else None
    if not org_id or not hmac.compare_digest(check.upper(), _check(org_id)):
        raise field_error("invite_code", "not a carrier's invite code: ask the carrier for it again")
    org = events.listeners("org_read")[0](org_id)
    if org is None or org.kind != "carrier":
        raise field_error("invite_code", "not a carrier's invite code: ask the carrier for it again")
    return org


def _require_carrier_admin(principal):
    if principal.role != "carrier" or not principal.org_id:
        raise ApiError("forbidden_role", "only a carrier's staff handle who joins it", status=403)


def code_for(*, principal):
    """The caller's carrier's invite code."""
    _require_carrier_admin(principal)
    return invite_code(principal.org_id)


def pending(*, principal):
    """The people who signed up with this carrier's code and wait for its approval."""
    _require_carrier_admin(principal)
    users, _ = store.list_org_users(principal.org_id, role=None, limit=PAGE, last_evaluated_key=None)
    return [u for u in users if u.status == "pending"]


def decide(*, principal, user_id, decision, now_ms):
    """Approve (the person may sign in at once) or refuse a sign-up waiting for this carrier."""
    _require_carrier_admin(principal)
    user = store.get_user(user_id)
    if user is None or user.org_id != principal.org_id or user.status != "pending":
        raise NotFound("join_request_not_found", "no sign-up waiting for your approval with this id")
    return store.update_user(user, status="active" if decision == "approve" else "refused", updated_at=now_ms)

"""The gate pass: a compact signed token the driver shows as a QR code and the gate verifies offline.

Choice: HMAC-SHA256 with a per-mine key derived from GATE_PASS_KEY (key = HMAC(GATE_PASS_KEY,
"gate-pass:" + mine_id)). A mine's scanners are provisioned with their own mine's key only, so
they verify passes with no network; a stolen scanner could forge passes only for the gate it
already opens, and the server-side admit still demands a called booking. Ed25519 would let any
scanner hold just a public key, but needs the `cryptography` wheel (several MB) in the Lambda
package and makes the QR code denser (64-byte signatures versus a 32-byte MAC).
"""

import base64
import hashlib
import hmac
import json

from backend.appointments.booking import service as booking_service
from backend.appointments.common import require_mine
from backend.appointments.settings import rules
from backend.appointments.windows.planning import MINUTE_MS
from backend.common.errors import ApiError
from backend.config import setting
from backend.waybills import service as waybills

PREFIX = "CH1"


def _b64(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _master_key():
    # Checked at start-up (backend.config): an app never runs with a missing or short key.
    return setting("GATE_PASS_KEY").encode()


def mine_key(mine_id):
    """The key a mine's gate scanners are provisioned with."""
    return hmac.new(_master_key(), f"gate-pass:{mine_id}".encode(), hashlib.sha256).digest()


def sign(claims):
    """A token for claims {waybill_id, vehicle_id, plate, slot_id, mine_id, exp}."""
    body = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode())
    signed = f"{PREFIX}.{claims['mine_id']}.{body}"
    mac = hmac.new(mine_key(claims["mine_id"]), signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{_b64(mac)}"


def _invalid(why):
    return ApiError("invalid_pass", f"gate pass rejected: {why}", status=403, details={"reason": why})


def verify_pass(token, *, now_ms, key_for=mine_key):
    """The claims of a genuine, unexpired pass, or ApiError 403 invalid_pass naming why."""
    parts = (token or "").strip().split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise _invalid("malformed")
    _, mine_id, body, mac = parts
    try:
        expected = hmac.new(key_for(mine_id), f"{PREFIX}.{mine_id}.{body}".encode(), hashlib.sha256).digest()
        genuine = hmac.compare_digest(expected, _unb64(mac))
        claims = json.loads(_unb64(body)) if genuine else None
    except (ValueError, UnicodeDecodeError):
        raise _invalid("malformed") from None
    if not genuine:
        raise _invalid("bad signature")
    if claims.get("mine_id") != mine_id:
        raise _invalid("mine mismatch")
    if claims.get("exp", 0) < now_ms:
        raise _invalid("expired")
    return claims


def qr_svg(text):
    """The token as an SVG QR code (segno: a pure-Python encoder), or None if it is not installed."""
    try:
        import segno
    except ImportError:
        return None
    import io

    buffer = io.BytesIO()
    # With its namespace, so the browser can parse it as an SVG document (no HTML injection).
    segno.make(text, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, scale=4, border=2, dark="#000", light="#fff"
    )
    return buffer.getvalue().decode()


def issue_pass(*, principal, booking_id, now_ms):
    """The signed gate pass for an active booking, as a token and an SVG QR code."""
    booking = booking_service.own(principal, booking_id)
    claims = {
        "waybill_id": booking.waybill_id,
        "vehicle_id": booking.vehicle_id,
        "plate": booking.plate,
        "slot_id": booking.slot_id,
        "mine_id": booking.mine_id,
        "exp": booking.slot_end_ms + rules().late_minutes * MINUTE_MS,
    }
    token = sign(claims)
    return {"booking_id": booking_id, "token": token, "claims": claims, "qr_svg": qr_svg(token)}


def check_pass(*, principal, token, now_ms):
    """Gate staff verify a scanned pass (the same check their scanner does offline)."""
    claims = verify_pass(token, now_ms=now_ms)
    require_mine(principal, claims["mine_id"])
    waybill = waybills.get(claims["waybill_id"])
    return {"claims": claims, "waybill_state": waybill.state, "may_enter": waybill.state == "called"}

"""Telling a user something while the app is closed (a driver called to the gate): Web Push subscriptions
and a sender behind an interface.

With VAPID_PRIVATE_KEY set, notifications go out through webpush.VapidSender (VAPID + aes128gcm,
see webpush.py for the configuration); without it the LogSender records that nothing was sent and
the app learns of the call by polling. Web Push is best effort (unreachable in mainland China for
many phones); SMS and an in-app inbox belong beside it here.
"""

import functools
import hashlib
import logging
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec

from backend.common.clock import SHANGHAI
from backend.common.errors import field_error
from backend.config import setting
from backend.notifications import store, webpush
from backend.notifications.models import PushSubscription

log = logging.getLogger("coalhaul.push")
QUEUE_URL = "/#/queue"


@functools.lru_cache(maxsize=4)
def _derived_public_key(private_key):
    return webpush.b64url(webpush.public_bytes(webpush.load_private_key(private_key)))


def vapid_public_key():
    """The application server key browsers subscribe with (None when push is not configured)."""
    private_key = setting("VAPID_PRIVATE_KEY")
    return _derived_public_key(private_key) if private_key else None


def _check_keys(keys):
    try:
        point = webpush.b64url_decode(str(keys.get("p256dh") or ""))
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise field_error("keys", "p256dh must be a base64url P-256 public key") from None
    try:
        auth_ok = len(webpush.b64url_decode(str(keys.get("auth") or ""))) == 16
    except ValueError:
        auth_ok = False
    if not auth_ok:
        raise field_error("keys", "auth must be a base64url 16-byte secret")


def subscribe(*, user_id, subscription, now_ms):
    """Keep a browser's PushSubscription JSON ({endpoint, keys: {p256dh, auth}})."""
    endpoint = (subscription or {}).get("endpoint")
    keys = (subscription or {}).get("keys") or {}
    if not isinstance(endpoint, str) or not webpush.endpoint_allowed(endpoint):
        raise field_error("endpoint", "an https push service URL")
    if not keys.get("p256dh") or not keys.get("auth"):
        raise field_error("keys", "p256dh and auth are required")
    _check_keys(keys)
    digest = hashlib.sha256(endpoint.encode()).hexdigest()[:32]
    store.save(
        PushSubscription(
            user_id, digest, endpoint=endpoint, created_at=now_ms, keys={"p256dh": keys["p256dh"], "auth": keys["auth"]}
        )
    )


class LogSender:
    """Used when no VAPID key is configured: records that nothing was sent."""

    def send(self, subscription, payload):
        log.info("push not sent (no VAPID key configured) to %s: %s", subscription.endpoint[:40], payload)
        return False


def default_sender():
    private_key = setting("VAPID_PRIVATE_KEY")
    if private_key:
        return webpush.VapidSender(private_key, setting("VAPID_SUBJECT"))
    return LogSender()


def _clock(ms):
    return datetime.fromtimestamp(ms / 1000, tz=SHANGHAI).strftime("%H:%M")


def with_text(payload):
    """Add what the notification shows (zh-CN first, English after) and where a tap leads."""
    kind, booking_id = payload.get("type"), payload.get("booking_id")
    if kind == "called":
        title = "已叫号，请进场 · Called to the gate"
        at = _clock(payload["deadline_ms"]) if payload.get("deadline_ms") else ""
        body = f"请在 {at} 前到达门岗 · Reach the gate by {at}" if at else "请立即前往门岗 · Drive to the gate now"
    elif kind == "expired":
        title = "预约已过期 · Booking expired"
        body = payload.get("reason") or ""
    else:
        title, body = "煤运通 · Coal Haul", ""
    return dict(payload, title=title, body=body, url=QUEUE_URL, tag=f"booking-{booking_id}")


def notify(user_id, payload, sender=None):
    """Send a notification to every browser of the user; returns how many were delivered."""
    sender = sender or default_sender()
    message = with_text(payload)
    delivered = 0
    for sub in store.user_subscriptions(user_id):
        try:
            delivered += 1 if sender.send(sub, message) else 0
        except Exception:  # noqa: BLE001  a broken subscription must not undo the call that already happened
            log.exception("push to %s failed", sub.endpoint[:40])
    return delivered

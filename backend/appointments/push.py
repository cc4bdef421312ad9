"""Telling a driver they are called while the app is closed: Web Push subscriptions and a sender behind an interface.

Sending needs VAPID (an ES256-signed JWT) and RFC 8291 payload encryption. pywebpush does both
but pulls in cryptography, http-ece, py-vapid, requests and aiohttp: too heavy for the Lambda
package, so it is used only if installed (and VAPID_PRIVATE_KEY is set); otherwise the
notification is logged as not delivered and the app learns of the call by polling.
"""
import hashlib
import json
import logging
import os

from pynamodb.exceptions import DoesNotExist  # noqa: F401  (store-level errors surface as-is)

from backend.appointments.models import PushSubscription
from backend.common.errors import field_error

log = logging.getLogger("coalhaul.push")


def vapid_public_key():
    """The application server key browsers subscribe with (None when push is not configured)."""
    return os.environ.get("VAPID_PUBLIC_KEY") or None


def subscribe(*, user_id, subscription, now_ms):
    """Keep a browser's PushSubscription JSON ({endpoint, keys: {p256dh, auth}})."""
    endpoint = (subscription or {}).get("endpoint")
    keys = (subscription or {}).get("keys") or {}
    if not isinstance(endpoint, str) or not endpoint.startswith("https://"):
        raise field_error("endpoint", "an https push service URL")
    if not keys.get("p256dh") or not keys.get("auth"):
        raise field_error("keys", "p256dh and auth are required")
    digest = hashlib.sha256(endpoint.encode()).hexdigest()[:32]
    PushSubscription(user_id, digest, endpoint=endpoint, keys={"p256dh": keys["p256dh"], "auth": keys["auth"]},
                     created_at=now_ms).save()


class LogSender:
    """Used when no Web Push library or VAPID key is available: records that nothing was sent."""

    def send(self, subscription, payload):
        log.info("push not sent (no VAPID sender configured) to %s: %s", subscription.endpoint[:40], payload)
        return False


class PyWebPushSender:
    def __init__(self, private_key, subject):
        self.private_key, self.subject = private_key, subject

    def send(self, subscription, payload):
        from pywebpush import WebPushException, webpush
        try:
            webpush({"endpoint": subscription.endpoint, "keys": subscription.keys}, json.dumps(payload),
                    vapid_private_key=self.private_key, vapid_claims={"sub": self.subject}, ttl=600)
            return True
        except WebPushException as error:
            log.warning("push failed: %s", error)
            return False


def default_sender():
    private_key = os.environ.get("VAPID_PRIVATE_KEY")
    if private_key:
        try:
            import pywebpush  # noqa: F401
            return PyWebPushSender(private_key, os.environ.get("VAPID_SUBJECT", "mailto:ops@coalhaul.example"))
        except ImportError:
            pass
    return LogSender()


def notify(user_id, payload, sender=None):
    """Send a notification to every browser of the user; returns how many were delivered."""
    sender = sender or default_sender()
    return sum(1 for sub in PushSubscription.query(user_id) if sender.send(sub, payload))

"""Telling people what concerns them: the in-app inbox (always), SMS (must-deliver kinds), Web Push (best effort).

With VAPID_PRIVATE_KEY set, pushes go out through webpush.VapidSender (VAPID + aes128gcm, see webpush.py);
without it the LogSender records that nothing was sent. Web Push is unreachable in mainland China for many
phones, so the inbox and SMS (sms.py, deliver.py) are the channels that must work.
"""

import functools
import hashlib
import logging
from datetime import datetime

from backend.common.clock import SHANGHAI
from backend.common.errors import NotFound, field_error
from backend.config import setting
from backend.notifications import catalog, deliver, fanout, store, webpush
from backend.notifications.models import NotifyPrefs, PushSubscription

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
    from cryptography.hazmat.primitives.asymmetric import ec  # with the first subscription, not at import

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


def _event(payload):
    """(event id, kind, params) of an appointments notification ({type, booking_id, deadline_ms, reason})."""
    kind, booking_id = payload.get("type"), payload.get("booking_id")
    if kind == "called":
        deadline = payload.get("deadline_ms")
        return f"called:{booking_id}:{deadline}", kind, {"time": _clock(deadline) if deadline else ""}
    return f"{kind}:{booking_id}", kind, {"reason": (payload.get("reason") or "")[:60]}


def with_text(payload):
    """Add what the push shows (zh-CN first, English after) and where a tap leads."""
    _, kind, params = _event(payload)
    if kind in catalog.KINDS:
        title, body = catalog.both(kind, params)
        url = "/" + catalog.KINDS[kind].link
    else:
        title, body, url = "煤运通 · Coal Haul", "", QUEUE_URL
    return dict(payload, title=title, body=body, url=url, tag=f"booking-{payload.get('booking_id')}")


def push(user_id, message, sender=None):
    """Send a push to every browser of the user; returns how many accepted it."""
    sender = sender or default_sender()
    if isinstance(sender, LogSender):
        return 0  # no VAPID key: nothing can be pushed, so no subscription is read
    delivered = 0
    for sub in store.user_subscriptions(user_id):
        try:
            delivered += 1 if sender.send(sub, message) else 0
        except Exception:  # noqa: BLE001  a broken subscription must not undo the call that already happened
            log.exception("push to %s failed", sub.endpoint[:40])
    return delivered


def notify(user_id, payload, sender=None, *, now_ms=None):
    """An appointments event for one driver on every channel.

    Inside a request (a call-in wave calls many drivers) the delivery runs beside the rest of the request and is
    awaited before the reply (fanout.py), and this returns None; elsewhere it runs now and returns how many
    browsers a push reached.
    """
    from backend.common.clock import now_ms as clock

    event_id, kind, params = _event(payload)
    message = with_text(payload)
    if kind not in catalog.KINDS:
        return push(user_id, message, sender)

    def work():
        try:
            outcome = deliver.to_person(
                user_id,
                event_id=event_id,
                kind=kind,
                params=params,
                now_ms=now_ms or clock(),
                push=(lambda uid: push(uid, message, sender)) if sender or setting("VAPID_PRIVATE_KEY") else None,
            )
        except Exception:  # noqa: BLE001  the call-in committed; a notification fault must not turn it into a 500
            log.exception("notification %s to %s failed", event_id, user_id)
            return 0
        return outcome["push"]

    return fanout.submit(work)


def announce(*, kind, user_ids, event_id, params, now_ms, link=None):
    """Tell several people about one event (each once per channel); faults are logged, never raised."""
    sent = {}
    for user_id in dict.fromkeys(u for u in user_ids if u):
        message = {"type": kind, "url": "/" + (link or catalog.KINDS[kind].link), "tag": event_id}
        message["title"], message["body"] = catalog.both(kind, params)
        try:
            sent[user_id] = deliver.to_person(
                user_id,
                event_id=event_id,
                kind=kind,
                params=params,
                now_ms=now_ms,
                link=link,
                push=(lambda uid, m=message: push(uid, m)) if setting("VAPID_PRIVATE_KEY") else None,
            )
        except Exception:  # noqa: BLE001  one person's fault must not stop the others
            log.exception("notification %s to %s failed", event_id, user_id)
    return sent


# -- the inbox and preferences (API) --------------------------------------------------------------------


def inbox(*, principal, limit, last_evaluated_key):
    """One page of the caller's messages, newest first, and the unread count."""
    return store.messages(principal.user_id, limit=limit, last_evaluated_key=last_evaluated_key)


def unread(*, principal):
    return {"unread": store.unread(principal.user_id)}


def mark_read(*, principal, message_id, now_ms):
    """Mark one of the caller's messages read (again: no change); 404 for a message that is not theirs."""
    message = store.get_message(principal.user_id, message_id)
    if message is None or not message_id.startswith("m."):
        raise NotFound("message_not_found", "message not found")
    store.mark_read(user_id=principal.user_id, sk=message_id, now_ms=now_ms)
    return {"unread": store.unread(principal.user_id)}


def preferences(*, principal):
    prefs = store.get_prefs(principal.user_id)
    return _prefs_view(prefs)


def _prefs_view(prefs):
    return {
        "opt_outs": list((prefs.opt_outs if prefs else None) or []),
        "quiet_start": prefs.quiet_start if prefs else None,
        "quiet_end": prefs.quiet_end if prefs else None,
        "lang": (prefs.lang if prefs else None) or "zh",
        "optional_kinds": list(catalog.OPTIONAL),
        "critical_kinds": list(catalog.CRITICAL),
    }


def save_preferences(*, principal, opt_outs, quiet_start, quiet_end, lang, now_ms):
    """Opt-outs only from non-critical kinds; quiet hours both set or both cleared."""
    wrong = [k for k in opt_outs if k not in catalog.OPTIONAL]
    if wrong:
        raise field_error("opt_outs", f"only these may be turned off: {', '.join(catalog.OPTIONAL)}")
    if (quiet_start is None) != (quiet_end is None):
        raise field_error("quiet_end", "set both ends of the quiet hours, or neither")
    prefs = NotifyPrefs(
        principal.user_id,
        opt_outs=sorted(set(opt_outs)),
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        lang=lang,
        updated_at=now_ms,
    )
    return _prefs_view(store.save_prefs(prefs))

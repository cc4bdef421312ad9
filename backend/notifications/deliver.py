"""Fan-out of one event to the people it concerns: inbox always, SMS when must-deliver, Web Push when possible.

Each channel is exactly once per event and person: the inbox by its event claim, SMS by its delivery
record (both conditional writes), Web Push only when the inbox message was new. A failure on one channel
never undoes the fact that caused the event nor stops the other channels.
"""

import logging

from backend import events
from backend.common.batch import get_many
from backend.config import setting
from backend.notifications import catalog, people, rules, sms, store
from backend.notifications.models import Delivery

log = logging.getLogger("coalhaul.notify")
LEASE_MS = 60_000  # a send still "sending" after this died mid-call: reported, never sent twice


def _quiet(prefs):
    return rules.quiet_hours(prefs, setting("NOTIFY_QUIET_START_HOUR"), setting("NOTIFY_QUIET_END_HOUR"))


def to_person(user_id, *, event_id, kind, params, now_ms, link=None, push=None):
    """Deliver one event to one person; returns {"inbox": bool new, "sms": status or None, "push": n}.

    `push(user_id)` sends the Web Push (None when push is not configured). An event for the inbox alone (not
    must-deliver, no push) costs its one transaction: nothing about the person is read.
    """
    if push is None and not rules.sms_wanted(kind):
        link = link or catalog.KINDS[kind].link
        new = store.add_message(user_id=user_id, event_id=event_id, kind=kind, params=params, link=link, now_ms=now_ms)
        return {"inbox": new, "sms": None, "push": 0}
    user, prefs = get_many(people.user_read(user_id), store.prefs_read(user_id))
    if user is None:
        return {"inbox": False, "sms": None, "push": 0}
    message = {"user_id": user_id, "event_id": event_id, "kind": kind, "params": params, "now_ms": now_ms}
    message["link"] = link or catalog.KINDS[kind].link
    delivery, send_at = None, None
    if rules.sms_wanted(kind) and getattr(user, "phone", None):
        lang = (prefs.lang if prefs else None) or "zh"
        delivery = sms_delivery(user_id, user.phone, event_id, kind, params, lang, now_ms=now_ms)
        send_at = rules.send_after(kind, now_ms, _quiet(prefs))
    outcome = None
    if delivery is not None and send_at <= now_ms:
        # The usual case in one transaction (inbox message, SMS claim, budgets); a refusal of any part (a
        # retry, a race, a spent budget) falls back to the two separate steps, which tell the cases apart.
        delivery.status, delivery.due, delivery.next_at = "sending", "sms", now_ms + LEASE_MS
        if store.add_message_with_sms(message, delivery, budgets_for(user.phone, now_ms)):
            outcome = {"inbox": True, "sms": send(delivery, now_ms=now_ms), "push": 0}
    if outcome is None:
        outcome = {"inbox": store.add_message(**message), "sms": None, "push": 0}
        if delivery is not None:
            outcome["sms"] = sms_once(delivery, send_at=send_at, now_ms=now_ms)
    if outcome["inbox"] and push and rules.push_wanted(kind, prefs.opt_outs if prefs else None):
        outcome["push"] = push(user_id)
    return outcome


def budgets_for(phone, now_ms):
    return rules.budgets(
        phone,
        now_ms,
        rate_limit=setting("SMS_RATE_LIMIT"),
        rate_window_s=setting("SMS_RATE_WINDOW_SECONDS"),
        daily_cap=setting("SMS_DAILY_CAP"),
    )


def sms_delivery(user_id, phone, event_id, kind, params, lang, *, now_ms):
    """The SMS delivery record of one event for one person (its key is the dedup)."""
    return Delivery(
        f"{event_id}#sms#{user_id}",
        channel="sms",
        user_id=user_id,
        event_id=event_id,
        kind=kind,
        phone=phone,
        template=catalog.sms_template(kind, lang),
        params={k: str(v)[:35] for k, v in (params or {}).items()},  # Aliyun caps a variable at 35 characters
        created_at=now_ms,
    )


def sms_once(delivery, *, send_at, now_ms):
    """Claim the event's SMS (dedup + budgets), then hand it to the provider: its status.

    `send_at` later than now_ms (quiet hours) defers it: the due job sends it then and takes the budget then.
    """
    if send_at > now_ms:
        delivery.status, delivery.due, delivery.next_at = "deferred", "sms", send_at
        return "deferred" if store.put_delivery_once(delivery) else "duplicate"
    delivery.status, delivery.due, delivery.next_at = "sending", "sms", now_ms + LEASE_MS
    claimed = store.claim_delivery(delivery, budgets_for(delivery.phone, now_ms), now_ms=now_ms)
    if claimed == "duplicate":
        return "duplicate"
    if claimed == "capped":
        delivery.status, delivery.due, delivery.next_at = "capped", None, None
        store.put_delivery_once(delivery)
        log.info("SMS for %s capped for %s***", delivery.event_id, delivery.phone[:3])
        return "capped"
    return send(delivery, now_ms=now_ms)


def send(delivery, *, now_ms):
    """One SendSms for a claimed delivery; records sent (receipt asked for later), a retry, or the failure."""
    try:
        biz_id = sms.send(delivery.phone, delivery.template, delivery.params or {})
    except sms.SmsFailed as error:
        return failed(delivery, str(error), now_ms=now_ms)
    store.update_delivery(
        delivery,
        status="sent",
        biz_id=biz_id,
        sent_at=now_ms,
        attempts=(delivery.attempts or 0) + 1,
        due="sms",
        next_at=now_ms + setting("SMS_RECEIPT_AFTER_SECONDS") * 1000,
        error=None,
    )
    return "sent"


def failed(delivery, reason, *, now_ms):
    """Retry later with backoff; after SMS_MAX_ATTEMPTS give up and tell the dispatcher."""
    attempts = (delivery.attempts or 0) + 1
    if attempts < setting("SMS_MAX_ATTEMPTS"):
        next_at = now_ms + rules.backoff_ms(attempts, setting("SMS_RETRY_BASE_SECONDS"))
        store.update_delivery(delivery, status="retry", attempts=attempts, due="sms", next_at=next_at, error=reason)
        return "retry"
    store.update_delivery(delivery, status="failed", attempts=attempts, due=None, next_at=None, error=reason)
    tell_dispatch(delivery, reason, now_ms=now_ms)
    return "failed"


def tell_dispatch(delivery, reason, *, now_ms):
    """An alert in dispatch's open list (alerts listens to "notify_failed"): a person should phone the driver."""
    from backend.waybills.service import SystemActor

    events.publish(
        "notify_failed",
        kind="notify_failed",
        mine_id="platform",
        reason=f"SMS {delivery.kind} to {delivery.phone} not delivered: {reason}"[:200],
        actor=SystemActor("notifications"),
        now_ms=now_ms,
        hold=False,
    )

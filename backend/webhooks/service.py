"""Webhooks: subscriptions per organisation, the waybill outbox, fan-out, signed deliveries with backoff, resend.

A waybill move that a subscriber may care about writes its event into the move's own transaction (the
"waybill_moving" steps in backend/events.py), so no event is lost and no hot write gains a round trip. The
`deliver_webhooks` job fans each event out to the subscriptions of the shipper and the buyer (one delivery per
subscription and event: a conditional put) and POSTs them; failures retry with exponential backoff for
WEBHOOK_RETRY_HOURS, then stay failed in the log, where a person may resend.
"""

import json
import logging

from backend.common.errors import ApiError, NotFound, field_error
from backend.common.ids import new_id
from backend.common.transactions import TxOp
from backend.config import setting
from backend.webhooks import sender, signing, store
from backend.webhooks.models import Subscription, WebhookDelivery

log = logging.getLogger("coalhaul.webhooks")
# waybill action -> event type a subscriber sees
TYPES = {
    "assign": "dispatched",
    "weigh_gross": "loaded",
    "depart": "in_transit",
    "arrive": "arrived",
    "confirm": "received",
    "resolve_dispute": "received",
    "settle": "settled",
}
EVENT_TYPES = ("dispatched", "loaded", "in_transit", "arrived", "received", "settled")
FIELDS = ("state", "mine_id", "order_id", "plate", "tonnage_kg", "net_kg", "received_kg", "tare_kg", "gross_kg")
RUN_LIMIT = 500  # per mine and run, of events and of deliveries
MAX_SUBSCRIPTIONS = 10


def owner_of(principal):
    """Whose subscriptions these are: a shipper's organisation; a buyer (buyers are people on the waybill)."""
    if principal.role == "shipper":
        if not principal.org_id:
            raise ApiError("forbidden_tenant", "a shipper account without an organisation", status=403)
        return principal.org_id
    return principal.user_id


# -- the outbox (a step of the waybill's own transaction) -------------------------------------------------


def outbox_steps(*, waybill, action, version, changes, now_ms, **_):
    """The event's outbox put for moves subscribers see; nothing (no step, no read) for the others."""
    kind = TYPES.get(action)
    owners = [o for o in (waybill.shipper_id, waybill.buyer_id) if o]
    if kind is None or not owners:
        return []
    event_id = f"wb_{waybill.waybill_id}_{version}"
    data = {name: getattr(waybill, name, None) for name in FIELDS}
    data.update({k: v for k, v in (changes or {}).items() if k in FIELDS})
    data.update(waybill_id=waybill.waybill_id, action=action, version=version, at=now_ms)
    item = WebhookDelivery(
        f"event.{event_id}",
        event_id=event_id,
        type=kind,
        owner_ids=owners,
        body={"id": event_id, "type": f"waybill.{kind}", "created_at": now_ms, "data": data},
        status="pending",
        due=f"event#{waybill.mine_id}",
        mine_id=waybill.mine_id,
        next_at=now_ms,
        created_at=now_ms,
    )
    return [TxOp(apply=store.outbox_op(item), error=ApiError("webhook_outbox", "could not record the event"))]


# -- subscriptions ---------------------------------------------------------------------------------------


def _check_url(url):
    if not sender.url_allowed(url, allow_loopback_http=setting("WEBHOOK_ALLOW_HTTP_LOOPBACK")):
        raise field_error("url", "an https URL of your system (a public host)")


def subscribe(*, principal, url, events, now_ms):
    """A new subscription; its secret is in this reply only (and after each rotation)."""
    _check_url(url)
    wrong = [e for e in events if e not in EVENT_TYPES]
    if wrong or not events:
        raise field_error("events", f"one or more of {', '.join(EVENT_TYPES)}")
    owner = owner_of(principal)
    if len(store.subscriptions(owner)) >= MAX_SUBSCRIPTIONS:
        raise ApiError("too_many_webhooks", f"at most {MAX_SUBSCRIPTIONS} webhooks per organisation", status=409)
    subscription = Subscription(
        owner,
        new_id("wh"),
        url=url,
        events=sorted(set(events)),
        secret=signing.new_secret(),
        created_by=principal.user_id,
        created_at=now_ms,
    )
    return store.save_subscription(subscription)


def list_subscriptions(*, principal):
    return store.subscriptions(owner_of(principal))


def _own(principal, sub_id):
    subscription = store.get_subscription(owner_of(principal), sub_id)
    if subscription is None:
        raise NotFound("webhook_not_found", "webhook not found")
    return subscription


def unsubscribe(*, principal, sub_id):
    store.delete_subscription(_own(principal, sub_id))
    return {"ok": True}


def rotate(*, principal, sub_id, now_ms):
    """A new secret; the old one keeps signing (beside it) for WEBHOOK_ROTATION_HOURS, so receivers switch calmly."""
    subscription = _own(principal, sub_id)
    subscription.old_secret = subscription.secret
    subscription.old_secret_until = now_ms + setting("WEBHOOK_ROTATION_HOURS") * 3600_000
    subscription.secret = signing.new_secret()
    subscription.rotated_at = now_ms
    return store.save_subscription(subscription)


def deliveries(*, principal, sub_id, limit, last_evaluated_key):
    _own(principal, sub_id)
    return store.log(sub_id, limit=limit, last_evaluated_key=last_evaluated_key)


def resend(*, principal, sub_id, delivery_id, now_ms):
    """Send a logged delivery again now (the same event id: a receiver that has it ignores it)."""
    subscription = _own(principal, sub_id)
    delivery = store.get(delivery_id)
    if delivery is None or delivery.sub_id != sub_id:
        raise NotFound("delivery_not_found", "delivery not found")
    return attempt(delivery, subscription, now_ms=now_ms, resent=True)


# -- delivering ------------------------------------------------------------------------------------------


def fan_out(event, *, now_ms):
    """One delivery per subscription that wants this event (a conditional put each), then the event is done."""
    made = 0
    for owner in event.owner_ids or []:
        for subscription in store.subscriptions(owner):
            if event.type not in subscription.events:
                continue
            delivery = WebhookDelivery(
                f"{subscription.sub_id}.{event.event_id}",
                event_id=event.event_id,
                type=event.type,
                body=event.body,
                sub_id=subscription.sub_id,
                owner_id=owner,
                status="pending",
                due=f"delivery#{event.mine_id}",
                mine_id=event.mine_id,
                next_at=now_ms,
                created_at=now_ms,
            )
            made += 1 if store.put_once(delivery) else 0
    store.update(event, status="fanned_out", due=None, next_at=None)
    return made


def backoff_ms(attempts):
    return min(3600, setting("WEBHOOK_RETRY_BASE_SECONDS") * 2 ** max(0, attempts - 1)) * 1000


def attempt(delivery, subscription, *, now_ms, resent=False):
    """POST the delivery once, signed; record delivered, a retry, or failed after WEBHOOK_RETRY_HOURS."""
    body = json.dumps(delivery.body, ensure_ascii=False, separators=(",", ":")).encode()
    headers = signing.headers(subscription, delivery.event_id, body, now_ms)
    status, error = sender.post(subscription.url, body, headers, timeout_s=setting("WEBHOOK_TIMEOUT_SECONDS"))
    attempts = (delivery.attempts or 0) + 1
    if status is not None and 200 <= status < 300:
        return store.update(
            delivery, status="delivered", attempts=attempts, last_status=status, last_error=None,
            delivered_at=now_ms, due=None, next_at=None,
        )  # fmt: skip
    give_up = now_ms - delivery.created_at >= setting("WEBHOOK_RETRY_HOURS") * 3600_000
    if give_up:
        return store.update(
            delivery, status="failed", attempts=attempts, last_status=status, last_error=error, due=None, next_at=None
        )
    if resent:  # a resend is one try by a person: the schedule, if any, stays as it was
        return store.update(delivery, attempts=attempts, last_status=status, last_error=error)
    return store.update(
        delivery, status="retry", attempts=attempts, last_status=status, last_error=error,
        due=f"delivery#{delivery.mine_id}", next_at=now_ms + backoff_ms(attempts),
    )  # fmt: skip


def run(*, now_ms, mine_ids=None, limit=RUN_LIMIT):
    """The job, per mine (the due index is keyed by mine, so a test runs only its own): fan out new events, then
    try every delivery due, page after page up to `limit` each. {"events", "delivered", "retry", "failed"}."""
    from backend.catalogue import service as catalogue

    counts = {"events": 0, "delivered": 0, "retry": 0, "failed": 0}
    for mine_id in mine_ids or [mine.mine_id for mine in catalogue.list_mines()]:
        for event in store.due(f"event#{mine_id}", now_ms=now_ms, limit=limit):
            fan_out(event, now_ms=now_ms)
            counts["events"] += 1
        for delivery in store.due(f"delivery#{mine_id}", now_ms=now_ms, limit=limit):
            outcome = _try_due(delivery, now_ms=now_ms)
            if outcome:
                counts[outcome] += 1
    return counts


def _try_due(delivery, *, now_ms):
    if not store.lease(delivery, until=now_ms + 2 * setting("WEBHOOK_TIMEOUT_SECONDS") * 1000):
        return None  # another run has it
    subscription = store.get_subscription(delivery.owner_id, delivery.sub_id)
    if subscription is None:  # unsubscribed meanwhile
        store.update(delivery, status="failed", last_error="subscription removed", due=None, next_at=None)
        return "failed"
    done = attempt(delivery, subscription, now_ms=now_ms)
    return done.status if done.status in ("delivered", "retry", "failed") else "failed"

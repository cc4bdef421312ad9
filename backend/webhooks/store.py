"""Webhook records: subscriptions by owner, the outbox and deliveries (conditional puts make them once)."""

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from backend.common import store as common_store
from backend.webhooks.models import Subscription, WebhookDelivery


def _condition_failed(error):
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def save_subscription(subscription):
    subscription.save()
    return subscription


def subscriptions(owner_id):
    """An owner's subscriptions (a handful: one Query)."""
    return list(Subscription.query(owner_id))


def get_subscription(owner_id, sub_id):
    try:
        return Subscription.get(owner_id, sub_id, consistent_read=True)
    except DoesNotExist:
        return None


def subscription_keys_with_secrets(wanted):
    """(owner_id, sub_id) of every subscription whose stored secrets (as kept, sealed or not) `wanted(secret,
    old_secret)` picks. A Scan: only the reseal job calls it, never a request."""
    connection = Subscription._get_connection()
    start = None
    while True:
        page = connection.scan(
            attributes_to_get=["owner_id", "sub_id", "secret", "old_secret"], exclusive_start_key=start
        )
        for item in page.get("Items", []):
            old = item.get("old_secret", {}).get("S")
            if wanted(item.get("secret", {}).get("S"), old):
                yield item["owner_id"]["S"], item["sub_id"]["S"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return


def reseal_subscription(subscription):
    """Write the secrets back as read (sealed under the current key); False when a rotation or removal got there
    first (it wrote them sealed itself)."""
    actions = [Subscription.secret.set(subscription.secret)]
    if subscription.old_secret is not None:
        actions.append(Subscription.old_secret.set(subscription.old_secret))
    unchanged = (
        Subscription.rotated_at.does_not_exist()
        if subscription.rotated_at is None
        else Subscription.rotated_at == subscription.rotated_at
    )
    try:
        subscription.update(actions=actions, condition=Subscription.sub_id.exists() & unchanged)
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def delete_subscription(subscription):
    subscription.delete()


def outbox_op(item):
    """The outbox event's put, as a step of someone else's TransactWrite."""
    return lambda tx: tx.save(item)


def put_once(delivery):
    """A new delivery; False when this subscription already has this event (idempotent by event id)."""
    try:
        delivery.save(condition=WebhookDelivery.delivery_id.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def get(delivery_id):
    try:
        return WebhookDelivery.get(delivery_id, consistent_read=True)
    except DoesNotExist:
        return None


def due(key, *, now_ms, limit):
    """A mine's outbox events ("event#<mine>") or deliveries ("delivery#<mine>") due now, oldest first (pages of
    the sparse index, at most `limit`)."""
    query = WebhookDelivery.by_due.query(key, WebhookDelivery.next_at <= now_ms, limit=limit, page_size=100)
    return list(query)


def lease(delivery, *, until):
    """Take a due delivery for one try (only as read: two runs never both send); False when taken."""
    try:
        delivery.update(
            actions=[WebhookDelivery.next_at.set(until)], condition=WebhookDelivery.next_at == delivery.next_at
        )
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def update(delivery, **fields):
    """Set fields (None removes one)."""
    actions = [
        getattr(WebhookDelivery, name).remove() if value is None else getattr(WebhookDelivery, name).set(value)
        for name, value in fields.items()
    ]
    delivery.update(actions=actions)
    return delivery


def log(sub_id, *, limit, last_evaluated_key):
    """One page of a subscription's deliveries, newest first."""
    query = lambda **kw: WebhookDelivery.by_subscription.query(sub_id, scan_index_forward=False, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)

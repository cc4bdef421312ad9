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

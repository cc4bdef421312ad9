"""Notification records: push subscriptions, the inbox partition, deliveries (the dedup), SMS budgets, preferences.

Every "exactly once" here is a conditional write: a second try of the same event on the same channel for the
same person fails its condition instead of sending again, however the retries or duplicates interleave.
"""

from datetime import UTC, datetime

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError

from backend import db
from backend.common import store as common_store
from backend.notifications.models import Delivery, InboxItem, NotifyPrefs, PushSubscription, SmsBudget

COUNTER = "count"


def save(subscription):
    """Keep a subscription (the same browser subscribing again replaces its record)."""
    subscription.save()


def user_subscriptions(user_id):
    """Every browser the user subscribed (a handful: one Query)."""
    return PushSubscription.query(user_id)


def _cancelled_at(error, position):
    reasons = getattr(error, "cancellation_reasons", None) or []
    return len(reasons) > position and getattr(reasons[position], "code", None) == "ConditionalCheckFailed"


def _cancelled(error):
    reasons = getattr(error, "cancellation_reasons", None) or []
    return any(getattr(r, "code", None) == "ConditionalCheckFailed" for r in reasons if r is not None)


# -- the inbox ----------------------------------------------------------------------------------------


def message_key(created_at, event_id):
    return f"m.{int(created_at):013d}.{event_id}"


def _message_items(user_id, event_id, kind, params, link, now_ms):
    claim = InboxItem(user_id, f"e.{event_id}")
    message = InboxItem(
        user_id,
        message_key(now_ms, event_id),
        event_id=event_id,
        kind=kind,
        params=params,
        link=link,
        created_at=now_ms,
    )
    return claim, message


def _add_message_steps(tx, claim, message):
    tx.save(claim, condition=InboxItem.sk.does_not_exist())
    tx.save(message)
    tx.update(InboxItem(claim.user_id, COUNTER), actions=[InboxItem.unread.add(1)])


def add_message(*, user_id, event_id, kind, params, link, now_ms):
    """The message, its event claim and the unread counter in one transaction; False when it was there already."""
    claim, message = _message_items(user_id, event_id, kind, params, link, now_ms)
    try:
        with db.transaction() as tx:
            _add_message_steps(tx, claim, message)
    except TransactWriteError as error:
        if _cancelled(error):
            return False
        raise
    return True


def add_message_with_sms(message, delivery, budgets):
    """The inbox message and the SMS claim with its budgets in one transaction (the usual case: one round trip);
    False when any part was refused (a duplicate, a spent budget): the caller then takes the two apart."""
    claim, item = _message_items(
        message["user_id"], message["event_id"], message["kind"], message["params"], message["link"], message["now_ms"]
    )
    try:
        with db.transaction() as tx:
            _add_message_steps(tx, claim, item)
            tx.save(delivery, condition=Delivery.delivery_id.does_not_exist())
            _take_budgets(tx, budgets, message["now_ms"])
    except TransactWriteError as error:
        if getattr(error, "cancellation_reasons", None):  # refused or raced (TransactionConflict): take them apart
            return False
        raise
    return True


def messages(user_id, *, limit, last_evaluated_key):
    """One page of a person's messages, newest first: one Query of their partition."""
    query = lambda **kw: InboxItem.query(  # noqa: E731
        user_id, InboxItem.sk.startswith("m."), scan_index_forward=False, **kw
    )
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def unread(user_id):
    """The unread counter: one GetItem, whatever the inbox holds."""
    try:
        return max(0, int(InboxItem.get(user_id, COUNTER, consistent_read=True).unread or 0))
    except DoesNotExist:
        return 0


def mark_read(*, user_id, sk, now_ms):
    """Read once: the message's read time and the counter's decrement together; False when already read."""
    try:
        with db.transaction() as tx:
            tx.update(
                InboxItem(user_id, sk),
                actions=[InboxItem.read_at.set(now_ms)],
                condition=InboxItem.created_at.exists() & InboxItem.read_at.does_not_exist(),
            )
            tx.update(InboxItem(user_id, COUNTER), actions=[InboxItem.unread.add(-1)])
    except TransactWriteError as error:
        if _cancelled(error):
            return False
        raise
    return True


def get_message(user_id, sk):
    try:
        return InboxItem.get(user_id, sk, consistent_read=True)
    except DoesNotExist:
        return None


# -- deliveries (per channel) and SMS budgets ----------------------------------------------------------


def get_delivery(delivery_id):
    try:
        return Delivery.get(delivery_id, consistent_read=True)
    except DoesNotExist:
        return None


def _expiry(seconds, now_ms):
    return datetime.fromtimestamp(now_ms / 1000 + seconds, tz=UTC)


def _take_budgets(tx, budgets, now_ms):
    """One from each per-number budget, refused (the whole transaction) when one is spent."""
    for key, limit, ttl_s in budgets:
        tx.update(
            SmsBudget(key),
            actions=[SmsBudget.sent.add(1), SmsBudget.expires_at.set(_expiry(ttl_s, now_ms))],
            condition=SmsBudget.sent.does_not_exist() | (SmsBudget.sent < limit),
        )


def claim_delivery(delivery, budgets, *, now_ms):
    """Put a new delivery and take one from each budget [(key, limit, ttl_s)] in one transaction.

    "ok"; "duplicate" when this delivery exists (another try got it first); "capped" when a budget is spent.
    """
    try:
        with db.transaction() as tx:
            tx.save(delivery, condition=Delivery.delivery_id.does_not_exist())
            _take_budgets(tx, budgets, now_ms)
    except TransactWriteError as error:
        if _cancelled_at(error, 0):  # puts go on the wire before updates: reason 0 is the delivery
            return "duplicate"
        if _cancelled(error):
            return "capped"
        raise
    return "ok"


def put_delivery_once(delivery):
    """Record a delivery that takes no budget (capped, opted out); False when it exists."""
    try:
        delivery.save(condition=Delivery.delivery_id.does_not_exist())
    except PutError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def update_delivery(delivery, **fields):
    """Set fields (None removes one) on a delivery."""
    actions = [
        getattr(Delivery, name).remove() if value is None else getattr(Delivery, name).set(value)
        for name, value in fields.items()
    ]
    delivery.update(actions=actions)
    return delivery


def due_deliveries(*, now_ms, limit=100):
    """Deliveries whose next step is due (retries, deferred sends, receipts to ask for): the sparse index."""
    return list(Delivery.by_due.query("sms", Delivery.next_at <= now_ms, limit=limit, page_size=limit))


# -- preferences ---------------------------------------------------------------------------------------


def prefs_read(user_id):
    """A person's preferences for a batch read (backend.common.batch.get_many)."""
    from backend.common.batch import Read

    return Read(NotifyPrefs, user_id)


def get_prefs(user_id):
    try:
        return NotifyPrefs.get(user_id, consistent_read=True)
    except DoesNotExist:
        return None


def save_prefs(prefs):
    prefs.save()
    return prefs


def take(delivery, budgets, *, expect, lease_until, now_ms):
    """Move a due delivery to "sending" (only from `expect`, as read) and take its budgets, in one transaction.

    "ok"; "lost" when another run took it first; "capped" when a budget is spent.
    """
    condition = (Delivery.status == expect) & (Delivery.next_at == delivery.next_at)
    try:
        with db.transaction() as tx:
            tx.update(
                delivery,
                actions=[Delivery.status.set("sending"), Delivery.next_at.set(lease_until)],
                condition=condition,
            )
            _take_budgets(tx, budgets, now_ms)
    except TransactWriteError as error:
        if _cancelled_at(error, 0):
            return "lost"
        if _cancelled(error):
            return "capped"
        raise
    delivery.status, delivery.next_at = "sending", lease_until
    return "ok"

"""Webhook subscriptions (per organisation) and deliveries (one per subscription and event, plus the outbox)."""

from pynamodb.attributes import JSONAttribute, ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.sealing import SealedAttribute
from backend.common.table_model import Model

SECRET_PURPOSE = "webhook signing secret"


class Subscription(Model):
    """Where an organisation's system wants waybill events, and the secrets that sign them."""

    class Meta:
        table_name = "webhook_subscriptions"

    owner_id = UnicodeAttribute(hash_key=True)  # a shipper organisation, or a buyer (a buyer is a user)
    sub_id = UnicodeAttribute(range_key=True)
    url = UnicodeAttribute()
    events = ListAttribute(of=UnicodeAttribute)  # dispatched, loaded, in_transit, arrived, received, settled
    # Sealed in the table (backend/common/sealing.py): the receiver holds the only other copy.
    secret = SealedAttribute(purpose=SECRET_PURPOSE)  # signs every delivery
    old_secret = SealedAttribute(purpose=SECRET_PURPOSE, null=True)  # also signs until old_secret_until
    old_secret_until = NumberAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = NumberAttribute()
    rotated_at = NumberAttribute(null=True)


class Due(GlobalSecondaryIndex):
    """Sparse: outbox events not yet fanned out ("event#<mine>") and deliveries owed a try ("delivery#<mine>"):
    keyed by the waybill's mine, so the job (and a test) works through one mine's at a time."""

    class Meta:
        index_name = "due"
        projection = AllProjection()

    due = UnicodeAttribute(hash_key=True)
    next_at = NumberAttribute(range_key=True)


class BySubscription(GlobalSecondaryIndex):
    """A subscription's delivery log, newest first (sparse: outbox events name no subscription)."""

    class Meta:
        index_name = "by_subscription"
        projection = AllProjection()

    sub_id = UnicodeAttribute(hash_key=True)
    created_at = NumberAttribute(range_key=True)


class WebhookDelivery(Model):
    """An outbox event ("event.<id>", written in the waybill's own transaction) or one delivery of it
    ("<sub_id>.<event id>": its key makes the delivery idempotent by event id)."""

    class Meta:
        table_name = "webhook_deliveries"

    delivery_id = UnicodeAttribute(hash_key=True)
    event_id = UnicodeAttribute()
    type = UnicodeAttribute()  # dispatched | loaded | in_transit | arrived | received | settled
    owner_ids = ListAttribute(of=UnicodeAttribute, null=True)  # the outbox event: who may subscribe to it
    body = JSONAttribute()  # the event as sent: {"id", "type", "created_at", "data"}
    sub_id = UnicodeAttribute(null=True)
    owner_id = UnicodeAttribute(null=True)
    mine_id = UnicodeAttribute(null=True)  # the waybill's mine: the due index's key
    status = UnicodeAttribute(default="pending")  # pending | retry | delivered | failed | fanned_out
    attempts = NumberAttribute(default=0)
    last_status = NumberAttribute(null=True)  # the receiver's HTTP status
    last_error = UnicodeAttribute(null=True)
    due = UnicodeAttribute(null=True)
    next_at = NumberAttribute(null=True)
    created_at = NumberAttribute()
    delivered_at = NumberAttribute(null=True)
    by_due = Due()
    by_subscription = BySubscription()

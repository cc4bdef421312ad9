"""Notification records: Web Push subscriptions, the inbox, per-channel deliveries, SMS budgets, preferences."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class PushSubscription(Model):
    """A browser's Web Push subscription for a user."""

    class Meta:
        table_name = "push_subscriptions"

    user_id = UnicodeAttribute(hash_key=True)
    endpoint_hash = UnicodeAttribute(range_key=True)
    endpoint = UnicodeAttribute()
    keys = JSONAttribute()
    created_at = NumberAttribute()


class InboxItem(Model):
    """A person's inbox in one partition: messages (sk "m.<time>.<event>"), their dedup claims
    (sk "e.<event>") and the unread counter (sk "count"), so the list is one Query and the badge one GetItem."""

    class Meta:
        table_name = "inbox"

    user_id = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    event_id = UnicodeAttribute(null=True)
    kind = UnicodeAttribute(null=True)  # called | hold | dispatched | ... (catalog.KINDS)
    params = JSONAttribute(null=True)  # what the text says (plate, time, reason), filled in per language
    link = UnicodeAttribute(null=True)  # the screen a tap opens ("#/queue")
    created_at = NumberAttribute(null=True)
    read_at = NumberAttribute(null=True)
    unread = NumberAttribute(null=True)  # the counter item only


class DeliveriesDue(GlobalSecondaryIndex):
    """Sparse: only deliveries still owed work (a retry, a deferred send, a receipt to ask for) carry `due`."""

    class Meta:
        index_name = "due"
        projection = AllProjection()

    due = UnicodeAttribute(hash_key=True)  # "sms"
    next_at = NumberAttribute(range_key=True)


class Delivery(Model):
    """One message on one channel to one person for one event: its key is the dedup (a conditional put)."""

    class Meta:
        table_name = "notify_deliveries"

    delivery_id = UnicodeAttribute(hash_key=True)  # "<event_id>#sms#<user_id>"
    channel = UnicodeAttribute()  # sms
    user_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    template = UnicodeAttribute(null=True)
    params = JSONAttribute(null=True)
    status = UnicodeAttribute()  # queued | deferred | sent | delivered | failed | capped | undelivered
    attempts = NumberAttribute(default=0)
    due = UnicodeAttribute(null=True)
    next_at = NumberAttribute(null=True)
    biz_id = UnicodeAttribute(null=True)
    receipt = JSONAttribute(null=True)  # the provider's delivery report (QuerySendDetails)
    error = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    sent_at = NumberAttribute(null=True)
    by_due = DeliveriesDue()


class SmsBudget(Model):
    """Per-number counters (a rate window, a day), conditionally incremented; they expire by TTL."""

    class Meta:
        table_name = "sms_budgets"

    key = UnicodeAttribute(hash_key=True)  # "rate#<phone>#<window>" | "day#<phone>#<YYYY-MM-DD>"
    sent = NumberAttribute(default=0)
    expires_at = TTLAttribute()


class NotifyPrefs(Model):
    """A person's choices: opt-outs from non-critical kinds and quiet hours (Asia/Shanghai)."""

    class Meta:
        table_name = "notify_prefs"

    user_id = UnicodeAttribute(hash_key=True)
    opt_outs = JSONAttribute(null=True)  # ["arrived", ...]: non-critical kinds pushed no more
    quiet_start = NumberAttribute(null=True)  # hour 0-23; None: the platform's default
    quiet_end = NumberAttribute(null=True)
    lang = UnicodeAttribute(null=True)  # zh | en: the SMS template language
    updated_at = NumberAttribute(null=True)

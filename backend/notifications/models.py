"""Web Push subscriptions: where a user's browsers can be reached."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model


class PushSubscription(Model):
    """A browser's Web Push subscription for a user."""

    class Meta:
        table_name = "push_subscriptions"

    user_id = UnicodeAttribute(hash_key=True)
    endpoint_hash = UnicodeAttribute(range_key=True)
    endpoint = UnicodeAttribute()
    keys = JSONAttribute()
    created_at = NumberAttribute()

"""The queue log: every recorded change of a mine's queue."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model


class QueueEvent(Model):
    """A recorded change of a mine's queue: who, when, why (calls, requeues, overrides, closures)."""

    class Meta:
        table_name = "queue_events"

    mine_id = UnicodeAttribute(hash_key=True)
    event_key = UnicodeAttribute(range_key=True)  # "<at ms, 13 digits>#<random>": time order
    at = NumberAttribute()
    action = UnicodeAttribute()
    booking_id = UnicodeAttribute(null=True)
    waybill_id = UnicodeAttribute(null=True)
    slot_id = UnicodeAttribute(null=True)
    actor_id = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)
    detail = JSONAttribute(null=True)

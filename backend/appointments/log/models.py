"""The queue log: every recorded change of a mine's queue, hash-chained per mine and day."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute

from backend.common.table_model import Model


class QueueEvent(Model):
    """One entry of a mine's day chain: who, when, why; `hash` covers the previous hash (log/chain.py)."""

    class Meta:
        # A new name: the old queue_events table had other keys, which a stack cannot change in place.
        table_name = "queue_log"

    chain_id = UnicodeAttribute(hash_key=True)  # "<mine_id>#<YYYY-MM-DD>"
    seq = NumberAttribute(range_key=True)  # 1, 2, 3 ... in append order
    mine_id = UnicodeAttribute()
    at = NumberAttribute()
    action = UnicodeAttribute()
    booking_id = UnicodeAttribute(null=True)
    waybill_id = UnicodeAttribute(null=True)
    slot_id = UnicodeAttribute(null=True)
    driver_id = UnicodeAttribute(null=True)
    actor_id = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)
    detail = JSONAttribute(null=True)
    prev_hash = UnicodeAttribute()
    hash = UnicodeAttribute()


class QueueChainHead(Model):
    """The head of a mine's day chain: the last seq and hash. Appends are conditional on it, so they serialize."""

    class Meta:
        table_name = "queue_chain_heads"

    chain_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(default=0)
    hash = UnicodeAttribute(null=True)
    updated_at = NumberAttribute(null=True)


class QueuePending(Model):
    """An event written by a hot write's own transaction (a booking), waiting to be sealed into the day's chain.

    Bookings race for one window by the hundred; putting each under the chain head would make them all retry.
    The next append or read of the chain seals pending entries first, in time order, each exactly once
    (the pending item is deleted in the same transaction that chains it)."""

    class Meta:
        table_name = "queue_pending"

    chain_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)  # "<at ms, 13 digits>#<random>": time order
    fields = JSONAttribute()

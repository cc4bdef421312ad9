"""Tables shared by every domain: idempotency records and unique-value claims."""

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute

from backend.common.table_model import Model


class IdempotencyRecord(Model):
    """The first reply to a client write, kept so a replay returns it again."""

    class Meta:
        table_name = "idempotency"

    key = UnicodeAttribute(hash_key=True)  # "<principal>#<Idempotency-Key>"
    request_hash = UnicodeAttribute()
    status = UnicodeAttribute()  # in_progress | done
    response_status = NumberAttribute(null=True)
    response_body = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    # An in-progress claim is a lease: a request that died mid-way frees its key after this, not after the TTL.
    lease_until = NumberAttribute(null=True)
    expires_at = TTLAttribute()


class UniqueClaim(Model):
    """A claimed unique value (phone number, plate): written in the same transaction as its owner."""

    class Meta:
        table_name = "uniques"

    value = UnicodeAttribute(hash_key=True)  # e.g. "phone#13800000000", "plate#陕K12345"
    owner_id = UnicodeAttribute()


class Counter(Model):
    """A fixed-window counter (rate limits) or a replay guard, expiring by TTL."""

    class Meta:
        table_name = "counters"

    key = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)
    expires_at = TTLAttribute()

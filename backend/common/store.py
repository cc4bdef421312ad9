"""Idempotency records, unique claims and counters: the shared conditional writes."""

from datetime import UTC, datetime

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from backend.common.batch import Read
from backend.common.models import Counter, IdempotencyRecord, UniqueClaim


def _expiry(seconds, now_ms):
    return datetime.fromtimestamp(now_ms / 1000 + seconds, tz=UTC)


def _condition_failed(error):
    cause = getattr(error, "cause_response_code", None)
    return cause == "ConditionalCheckFailedException"


def get_idempotency(key):
    """The stored record for a scoped key, or None."""
    try:
        return IdempotencyRecord.get(key, consistent_read=True)
    except DoesNotExist:
        return None


def claim_idempotency(*, key, request_hash, now_ms, ttl_seconds, lease_ms):
    """Claim a key for a request in progress; False when someone holds it (done, or in progress within its lease).

    A claim whose lease ran out belongs to a request that died between claiming and finishing (a killed
    container): the next request with the key takes it over instead of waiting for the record's TTL.
    """
    record = IdempotencyRecord(
        key,
        request_hash=request_hash,
        status="in_progress",
        created_at=now_ms,
        lease_until=now_ms + lease_ms,
        expires_at=_expiry(ttl_seconds, now_ms),
    )
    abandoned = (IdempotencyRecord.status == "in_progress") & (IdempotencyRecord.lease_until < now_ms)
    try:
        record.save(condition=IdempotencyRecord.key.does_not_exist() | abandoned)
    except PutError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def finish_idempotency(*, key, request_hash, status_code, body, now_ms, ttl_seconds):
    """Store the reply of a completed write."""
    IdempotencyRecord(
        key,
        request_hash=request_hash,
        status="done",
        response_status=status_code,
        response_body=body,
        created_at=now_ms,
        expires_at=_expiry(ttl_seconds, now_ms),
    ).save()


def idempotency_read(key):
    """A batch read of a scoped key's record (see backend.common.batch)."""
    return Read(IdempotencyRecord, key)


def is_idempotency_read(read, key):
    return read.model is IdempotencyRecord and read.hash_key == key


def done_idempotency_op(*, key, request_hash, status_code, body, now_ms, ttl_seconds):
    """A transaction step keeping a write's reply; it fails if the key was recorded already."""
    record = IdempotencyRecord(
        key,
        request_hash=request_hash,
        status="done",
        response_status=status_code,
        response_body=body,
        created_at=now_ms,
        expires_at=_expiry(ttl_seconds, now_ms),
    )
    return lambda tx: tx.save(record, condition=IdempotencyRecord.key.does_not_exist())


def release_idempotency(key):
    """Forget a claim whose request failed, so the client may retry it."""
    try:
        IdempotencyRecord(key).delete(condition=IdempotencyRecord.status == "in_progress")
    except DeleteError:
        pass


def unique_claim_op(value, owner_id):
    """A transaction step claiming a unique value; it fails if someone else holds it."""
    claim = UniqueClaim(value, owner_id=owner_id)
    return lambda tx: tx.save(claim, condition=UniqueClaim.value.does_not_exist())


def unique_release_op(value, owner_id):
    """A transaction step releasing a value held by owner_id."""
    return lambda tx: tx.delete(UniqueClaim(value), condition=UniqueClaim.owner_id == owner_id)


def unique_owner(value):
    """Who holds a unique value, or None."""
    try:
        return UniqueClaim.get(value).owner_id
    except DoesNotExist:
        return None


def hit_counter(*, key, limit, now_ms, window_seconds):
    """Count one hit in a fixed window; False once the limit is reached (atomic across containers)."""
    try:
        Counter(key).update(
            actions=[Counter.hits.add(1), Counter.expires_at.set(_expiry(window_seconds * 2, now_ms))],
            condition=Counter.hits.does_not_exist() | (Counter.hits < limit),
        )
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def claim_once(*, key, now_ms, ttl_seconds):
    """Record a one-time value (a signature nonce); False when it was seen before."""
    try:
        Counter(key, hits=1, expires_at=_expiry(ttl_seconds, now_ms)).save(condition=Counter.key.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def query_page(query, *, limit, last_evaluated_key):
    """Run a PynamoDB query callable for one page: (items, last evaluated key or None)."""
    results = query(limit=limit, page_size=limit, last_evaluated_key=last_evaluated_key)
    items = list(results)
    lek = results.last_evaluated_key if len(items) >= limit else None
    return items, lek

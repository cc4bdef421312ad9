"""Regulatory documents: created once per subject, moved with their per-state counts in one transaction."""

import zlib

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.common import store as common_store
from backend.regfeed.models import PositionConsent, RegCount, RegDocument


class Moved(Exception):
    """Someone else moved the document first (its version changed)."""


def get(doc_id):
    try:
        return RegDocument.get(doc_id, consistent_read=True)
    except DoesNotExist:
        return None


SHARDS = 8  # per-state counters are spread so that confirmations at the same moment do not collide on one item
TRIES = 5


def _shard(state, doc_id):
    return f"{state}#{zlib.crc32(doc_id.encode()) % SHARDS}"


def _count(tx, state, doc_id, delta):
    tx.update(RegCount(_shard(state, doc_id)), actions=[RegCount.count.add(delta)])


def _conflict(error):
    """True when a transaction lost a race on an item (retry), not a failed condition."""
    reasons = getattr(error, "cancellation_reasons", None) or []
    return any(reason is not None and reason.code == "TransactionConflict" for reason in reasons)


def create(document):
    """Insert the document and count it; False when it exists already (an event delivered twice)."""
    for _ in range(TRIES):
        try:
            with db.transaction() as tx:
                tx.save(document, condition=RegDocument.doc_id.does_not_exist())
                _count(tx, document.state, document.doc_id, 1)
            return True
        except TransactWriteError as error:
            if not _conflict(error):
                return False
    raise RuntimeError(f"regfeed: {document.doc_id} not queued after {TRIES} conflicting tries")


def move(document, *, from_state, from_version):
    """Write the document (already changed) if nobody moved it since, shifting the per-state counts."""
    for _ in range(TRIES):
        try:
            with db.transaction() as tx:
                tx.save(document, condition=RegDocument.version == from_version)
                if from_state != document.state:
                    _count(tx, from_state, document.doc_id, -1)
                    _count(tx, document.state, document.doc_id, 1)
            return document
        except TransactWriteError as error:
            if not _conflict(error):
                raise Moved() from error
    raise Moved()


def due(state, mine_id, *, now_ms, limit):
    """Up to `limit` of a mine's documents in a state whose next try is due, oldest due first (one Query)."""
    query = RegDocument.by_state.query(f"{state}#{mine_id}", RegDocument.next_try_at <= now_ms, limit=limit)
    return list(query)


def in_state(state, mine_id, *, limit, last_evaluated_key=None):
    """One page of a mine's documents in a state, latest due first."""
    query = lambda **kw: RegDocument.by_state.query(f"{state}#{mine_id}", scan_index_forward=False, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def vehicle_trips(vehicle_id, *, since_ms, until_ms):
    """(doc subject, departure, receipt) of a truck's waybill documents that left in a window."""
    query = RegDocument.by_vehicle.query(vehicle_id, RegDocument.departed_at.between(since_ms, until_ms))
    return [(d.subject_id, d.departed_at, d.received_at) for d in query if d.received_at]


def counts(states):
    """{state: count}: every state's shards in one BatchGet (8 states x 8 shards: 64 keys)."""
    totals = dict.fromkeys(states, 0)
    keys = [f"{state}#{shard}" for state in states for shard in range(SHARDS)]
    for counter in RegCount.batch_get(keys):
        totals[counter.state.split("#")[0]] += int(counter.count)
    return totals


def get_consent(driver_id):
    try:
        return PositionConsent.get(driver_id)
    except DoesNotExist:
        return None


def save_consent(consent):
    consent.save()
    return consent

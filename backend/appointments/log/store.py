"""The queue log: chained entries appended under a conditional write on the day's head, read in order."""

import random
import secrets
import time

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.appointments.log.chain import GENESIS, entry_hash
from backend.appointments.log.models import QueueChainHead, QueueEvent, QueuePending
from backend.common.errors import ApiError
from backend.common.store import query_page
from backend.common.transactions import TxOp

CHAIN_BUSY = ApiError("busy", "the queue log moved meanwhile; try again", status=409)
STANDALONE_ATTEMPTS = 12
# Entries chained per transaction when sealing: two items each plus the head, under DynamoDB's 100 per transaction.
SEAL_BATCH = 40


def get_head(chain_id):
    try:
        return QueueChainHead.get(chain_id, consistent_read=True)
    except DoesNotExist:
        return None


class Tip:
    """The head as last read (seq, hash); an append step re-reads it when its condition fails."""

    def __init__(self, chain_id, head):
        self.chain_id = chain_id
        self.seq = int(head.seq) if head is not None and head.seq else 0
        self.hash = head.hash if head is not None and head.hash else GENESIS

    def refresh(self):
        fresh = Tip(self.chain_id, get_head(self.chain_id))
        self.seq, self.hash = fresh.seq, fresh.hash
        return True


def _entry(tip, fields):
    body = dict(fields, chain_id=tip.chain_id, seq=tip.seq + 1)
    return QueueEvent(**body, prev_hash=tip.hash, hash=entry_hash(tip.hash, body))


def _move_head(tx, tip, entry):
    """Move the head to `entry`, only if it is still where `tip` last saw it."""
    unchanged = QueueChainHead.seq.does_not_exist() if not tip.seq else QueueChainHead.seq == tip.seq
    tx.update(
        QueueChainHead(tip.chain_id),
        actions=[
            QueueChainHead.seq.set(entry.seq),
            QueueChainHead.hash.set(entry.hash),
            QueueChainHead.updated_at.set(entry.at),
        ],
        condition=unchanged,
    )


def _add(tx, tip, fields, appended):
    """The two items of an append: the entry (new seq) and the head moved to it only if still at tip."""
    entry = _entry(tip, fields)
    _move_head(tx, tip, entry)
    tx.save(entry, condition=QueueEvent.seq.does_not_exist())
    appended[:] = [entry]


def append_op(tip, fields, appended):
    """A transaction step appending one entry after `tip`; on a lost race it re-reads the head and is tried again."""
    return TxOp(apply=lambda tx: _add(tx, tip, fields, appended), error=CHAIN_BUSY, recover=tip.refresh)


def append(chain_id, fields, *, tip=None):
    """Append one entry on its own: the head (read unless `tip` is fresh), one transaction; a lost race re-reads."""
    tip = tip or Tip(chain_id, get_head(chain_id))
    appended = []
    for attempt in range(STANDALONE_ATTEMPTS):
        try:
            with db.transaction() as tx:
                _add(tx, tip, fields, appended)
            return appended[0]
        except TransactWriteError:
            _pause(attempt)
            tip.refresh()
    raise CHAIN_BUSY


def _pause(attempt):
    time.sleep(random.uniform(0.002, 0.02) * (attempt + 1))


def pending_op(chain_id, fields):
    """A step of a hot write's own transaction: its event, to be sealed into the chain (no head contention)."""
    item = QueuePending(chain_id, f"{fields['at']:013d}#{secrets.token_hex(4)}", fields=fields)
    return TxOp(
        apply=lambda tx: tx.save(item, condition=QueuePending.key.does_not_exist()),
        error=ApiError("busy", "the queue log entry could not be written; try again", status=409),
    )


def sealed_tip(chain_id):
    """Chain the day's pending entries in time order, each once, and return (head after them, how many sealed).

    One Query and one head read when none are pending; otherwise one transaction per SEAL_BATCH entries (each
    entry and its pending item's delete, and the head moved once), not a transaction per entry: a check-in after
    a burst of fifty bookings pays two transactions, not fifty."""
    pending = list(QueuePending.query(chain_id, consistent_read=True))
    tip = Tip(chain_id, get_head(chain_id))
    sealed = 0
    for start in range(0, len(pending), SEAL_BATCH):
        sealed += _seal_batch(tip, pending[start : start + SEAL_BATCH])
    return tip, sealed


def seal(chain_id):
    """Chain the day's pending entries; how many this call sealed."""
    return sealed_tip(chain_id)[1]


def _seal_batch(tip, items):
    """Chain `items` after `tip` in one transaction; a lost race re-reads the head and drops what another sealer
    chained meanwhile (the pending item's delete is conditional, so no entry is chained twice)."""
    for attempt in range(STANDALONE_ATTEMPTS):
        cursor = Tip.__new__(Tip)
        cursor.chain_id, cursor.seq, cursor.hash = tip.chain_id, tip.seq, tip.hash
        try:
            with db.transaction() as tx:
                for item in items:
                    entry = _entry(cursor, dict(item.fields))
                    tx.save(entry, condition=QueueEvent.seq.does_not_exist())
                    tx.delete(item, condition=QueuePending.key.exists())
                    cursor.seq, cursor.hash = entry.seq, entry.hash
                _move_head(tx, tip, entry)
            tip.seq, tip.hash = cursor.seq, cursor.hash
            return len(items)
        except TransactWriteError:
            _pause(attempt)
            tip.refresh()
            still = {p.key for p in QueuePending.query(tip.chain_id, consistent_read=True)}
            items = [item for item in items if item.key in still]
            if not items:
                return 0
    raise CHAIN_BUSY


def chain_entries(chain_id):
    """A day's whole chain in seq order (one mine-day: hundreds of entries, whatever the history)."""
    return list(QueueEvent.query(chain_id, scan_index_forward=True, consistent_read=True))


def events_page(chain_id, *, limit, last_evaluated_key):
    """A day's entries, newest first."""
    query = lambda **kw: QueueEvent.query(chain_id, scan_index_forward=False, **kw)  # noqa: E731
    return query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)

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


def _add(tx, tip, fields, appended):
    """The two items of an append: the entry (new seq) and the head moved to it only if still at tip."""
    entry = _entry(tip, fields)
    head = QueueChainHead(tip.chain_id)
    unchanged = QueueChainHead.seq.does_not_exist() if not tip.seq else QueueChainHead.seq == tip.seq
    tx.update(
        head,
        actions=[
            QueueChainHead.seq.set(entry.seq),
            QueueChainHead.hash.set(entry.hash),
            QueueChainHead.updated_at.set(entry.at),
        ],
        condition=unchanged,
    )
    tx.save(entry, condition=QueueEvent.seq.does_not_exist())
    appended[:] = [entry]


def append_op(tip, fields, appended):
    """A transaction step appending one entry after `tip`; on a lost race it re-reads the head and is tried again."""
    return TxOp(apply=lambda tx: _add(tx, tip, fields, appended), error=CHAIN_BUSY, recover=tip.refresh)


def append(chain_id, fields, *, pending=None):
    """Append one entry on its own: read the head, one transaction; a lost race re-reads (with jitter).

    With `pending` (a QueuePending item) the pending item is deleted in the same transaction, only if it is
    still there: None when another sealer chained it first."""
    tip = Tip(chain_id, get_head(chain_id))
    appended = []
    for attempt in range(STANDALONE_ATTEMPTS):
        try:
            with db.transaction() as tx:
                _add(tx, tip, fields, appended)
                if pending is not None:
                    tx.delete(pending, condition=QueuePending.key.exists())
            return appended[0]
        except TransactWriteError:
            if pending is not None and not _still_pending(pending):
                return None
            time.sleep(random.uniform(0.002, 0.02) * (attempt + 1))
            tip.refresh()
    raise CHAIN_BUSY


def _still_pending(item):
    try:
        QueuePending.get(item.chain_id, item.key, consistent_read=True)
    except DoesNotExist:
        return False
    return True


def pending_op(chain_id, fields):
    """A step of a hot write's own transaction: its event, to be sealed into the chain (no head contention)."""
    item = QueuePending(chain_id, f"{fields['at']:013d}#{secrets.token_hex(4)}", fields=fields)
    return TxOp(
        apply=lambda tx: tx.save(item, condition=QueuePending.key.does_not_exist()),
        error=ApiError("busy", "the queue log entry could not be written; try again", status=409),
    )


def seal(chain_id):
    """Chain the day's pending entries in time order, each once (one Query when there are none)."""
    sealed = 0
    for item in QueuePending.query(chain_id, consistent_read=True):
        sealed += append(chain_id, dict(item.fields), pending=item) is not None
    return sealed


def chain_entries(chain_id):
    """A day's whole chain in seq order (one mine-day: hundreds of entries, whatever the history)."""
    return list(QueueEvent.query(chain_id, scan_index_forward=True, consistent_read=True))


def events_page(chain_id, *, limit, last_evaluated_key):
    """A day's entries, newest first."""
    query = lambda **kw: QueueEvent.query(chain_id, scan_index_forward=False, **kw)  # noqa: E731
    return query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)

"""The ledger's only PynamoDB user: posting steps, the posting transaction, journal and day-closing queries."""

from pynamodb.exceptions import DoesNotExist

from backend.common import transactions
from backend.common.errors import Conflict
from backend.common.transactions import TxOp
from backend.ledger.models import DayClosing, JournalLine, LedgerAccount, LedgerEntry

# A posting racing another on the same balance item is cancelled with TransactionConflict (nothing applied):
# it is tried again after a jittered pause. 100 threads on one account need a generous number of tries.
CONFLICT_TRIES = 40
CONFLICT_PAUSE_S = 0.01


class AlreadyPosted(Exception):
    """The entry id was posted before: the transaction changed nothing."""


def line_key(at, entry_id):
    return f"{int(at):013d}#{entry_id}"


def time_key(at):
    """The smallest line key at or after `at` (line keys of the same ms sort after it)."""
    return f"{int(at):013d}"


def entry_op(*, entry_id, legs, memo, now_ms, waybill_id, order_id):
    """Insert the entry once: a replayed business event fails this step with `already_posted`."""
    entry = LedgerEntry(
        entry_id, legs=[list(leg) for leg in legs], memo=memo, at=now_ms, waybill_id=waybill_id, order_id=order_id
    )
    return TxOp(
        apply=lambda tx: tx.save(entry, condition=LedgerEntry.entry_id.does_not_exist()),
        error=Conflict("already_posted", f"entry {entry_id} is already posted", details={"entry_id": entry_id}),
    )


def balance_op(*, item_id, kind, owner_id, amount, now_ms, guarded, account_id):
    """Add `amount` to a balance item; a guarded debit is conditional on what is available (balance + credit)."""
    actions = [
        LedgerAccount.balance.add(amount),
        LedgerAccount.available.add(amount),
        LedgerAccount.kind.set(LedgerAccount.kind | kind),
        LedgerAccount.owner_id.set(LedgerAccount.owner_id | owner_id),
        LedgerAccount.updated_at.set(now_ms),
    ]
    condition = (LedgerAccount.available >= -amount) if guarded and amount < 0 else None
    return TxOp(
        apply=lambda tx: tx.update(LedgerAccount(item_id), actions=actions, condition=condition),
        error=Conflict(
            "insufficient_funds",
            f"account {account_id} cannot pay {-amount} fen",
            details={"account": account_id, "amount": amount},
        ),
    )


def journal_op(*, item_id, entry_id, amount, memo, now_ms, waybill_id, order_id):
    """The leg's journal line; unconditional (the entry step already makes the whole posting happen once)."""
    line = JournalLine(
        item_id,
        line_key(now_ms, entry_id),
        entry_id=entry_id,
        amount=amount,
        memo=memo,
        at=now_ms,
        waybill_id=waybill_id,
        order_id=order_id,
    )
    return TxOp(apply=lambda tx: tx.save(line), error=Conflict("journal_failed", "journal line refused"))


def run(ops):
    """Commit the steps in one TransactWriteItems, retried on races; a failed step raises its error (AlreadyPosted)."""
    transactions.run_steps(
        ops,
        tries=CONFLICT_TRIES,
        pause_s=CONFLICT_PAUSE_S,
        failure=lambda failed: AlreadyPosted() if 0 in failed else ops[failed[0]].error,
    )


def get_item(item_id):
    try:
        return LedgerAccount.get(item_id, consistent_read=True)
    except DoesNotExist:
        return None


def get_items(item_ids):
    """Balance items by id in one BatchGetItem (missing ones are absent)."""
    return {item.account_id: item for item in LedgerAccount.batch_get(list(item_ids), consistent_read=True)}


def set_credit_limit(item_id, *, kind, owner_id, limit_fen, now_ms):
    """Change the limit and what is available by the difference, conditional on the limit read (no lost update)."""
    while True:
        item = get_item(item_id)
        old = int(item.credit_limit or 0) if item else 0
        actions = [
            LedgerAccount.credit_limit.set(limit_fen),
            LedgerAccount.available.add(limit_fen - old),
            LedgerAccount.balance.add(0),
            LedgerAccount.kind.set(LedgerAccount.kind | kind),
            LedgerAccount.owner_id.set(LedgerAccount.owner_id | owner_id),
            LedgerAccount.updated_at.set(now_ms),
        ]
        unchanged = (LedgerAccount.credit_limit == old) if item else LedgerAccount.account_id.does_not_exist()
        try:
            LedgerAccount(item_id).update(actions=actions, condition=unchanged)
            return
        except Exception as error:  # UpdateError: someone changed the limit meanwhile; read again
            if getattr(error, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise


def get_entry(entry_id):
    try:
        return LedgerEntry.get(entry_id, consistent_read=True)
    except DoesNotExist:
        return None


def posted_ids(entry_ids):
    """The ids among these that have an entry (consistent reads, 100 keys a call)."""
    ids = list(dict.fromkeys(entry_ids))
    return {
        entry.entry_id for entry in LedgerEntry.batch_get(ids, consistent_read=True, attributes_to_get=["entry_id"])
    }


def get_entries(entry_ids):
    """The entries among these ids that exist, read consistently (100 keys a call)."""
    ids = list(dict.fromkeys(entry_ids))
    return list(LedgerEntry.batch_get(ids, consistent_read=True))


def entries_for_waybill(waybill_id):
    return list(LedgerEntry.by_waybill.query(waybill_id))


def lines_page(item_id, *, from_key, to_key, limit, after=None):
    """Up to `limit` lines with from_key <= line_key < to_key, after the line key `after`: (lines, more?)."""
    start = {"account_id": {"S": item_id}, "line_key": {"S": after}} if after else None
    results = JournalLine.query(
        item_id,
        JournalLine.line_key.between(from_key, to_key),
        consistent_read=True,
        limit=limit + 1,
        page_size=limit + 1,
        last_evaluated_key=start,
    )
    lines = list(results)
    return lines[:limit], len(lines) > limit


def recent_lines(item_id, *, limit):
    """The account's newest `limit` journal lines, newest first (one Query, whatever the history)."""
    return list(
        JournalLine.query(item_id, consistent_read=True, scan_index_forward=False, limit=limit, page_size=limit)
    )


def lines_sum(item_id, *, from_key, to_key):
    """Σ amounts of the lines from_key <= line_key < to_key (only the amount is read)."""
    condition = JournalLine.line_key.between(from_key, to_key)
    results = JournalLine.query(item_id, condition, consistent_read=True, attributes_to_get=["amount", "line_key"])
    return sum(int(line.amount) for line in results if line.line_key < to_key)


def closing_before(item_id, at):
    """The latest day closing at or before `at`: (day_end, closing), or (0, 0) when none was taken."""
    results = DayClosing.query(
        item_id, DayClosing.day_end <= at, consistent_read=True, scan_index_forward=False, limit=1
    )
    for row in results:
        return int(row.day_end), int(row.closing)
    return 0, 0


def save_closing(item_id, *, day_end, closing, now_ms):
    DayClosing(item_id, day_end, closing=closing, computed_at=now_ms).save()


def scan_items():
    """Every balance item (the daily job only; never a request)."""
    return LedgerAccount.scan()

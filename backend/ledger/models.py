"""The ledger's tables: account balances, posted entries, journal lines per account, and day closings."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class LedgerAccount(Model):
    """One balance item: an account, or one shard of a sharded account (`clearing:platform#07`)."""

    class Meta:
        table_name = "ledger_accounts"

    account_id = UnicodeAttribute(hash_key=True)  # the balance item's id (a shard's id for sharded accounts)
    kind = UnicodeAttribute(null=True)
    owner_id = UnicodeAttribute(null=True)
    balance = NumberAttribute(default=0)  # fen; positive = money held for the owner
    # balance + credit_limit: debits of guarded kinds are conditional on it (DynamoDB conditions cannot add).
    available = NumberAttribute(default=0)
    credit_limit = NumberAttribute(default=0)
    updated_at = NumberAttribute(null=True)


class EntriesByWaybill(GlobalSecondaryIndex):
    """Sparse: the entries that name a waybill, so settlement and screens find a waybill's money."""

    class Meta:
        index_name = "by_waybill"
        projection = AllProjection()

    waybill_id = UnicodeAttribute(hash_key=True)
    at = NumberAttribute(range_key=True)


class LedgerEntry(Model):
    """A posted entry: written once per business event (its id is the event's idempotency key)."""

    class Meta:
        table_name = "ledger_entries"

    entry_id = UnicodeAttribute(hash_key=True)
    legs = JSONAttribute()  # [[account_id, amount_fen], ...], Σ = 0
    memo = UnicodeAttribute()
    at = NumberAttribute()
    waybill_id = UnicodeAttribute(null=True)
    order_id = UnicodeAttribute(null=True)
    by_waybill = EntriesByWaybill()


class JournalLine(Model):
    """One leg of an entry on one balance item, ordered by time: what statements and the trial balance read."""

    class Meta:
        table_name = "ledger_journal"

    account_id = UnicodeAttribute(hash_key=True)  # the balance item's id
    line_key = UnicodeAttribute(range_key=True)  # f"{at:013d}#{entry_id}"
    entry_id = UnicodeAttribute()
    amount = NumberAttribute()
    memo = UnicodeAttribute()
    at = NumberAttribute()
    waybill_id = UnicodeAttribute(null=True)
    order_id = UnicodeAttribute(null=True)


class DayClosing(Model):
    """A balance item's balance at a (Shanghai) midnight, from its journal: a statement's opening is one read."""

    class Meta:
        table_name = "ledger_day_closings"

    account_id = UnicodeAttribute(hash_key=True)
    day_end = NumberAttribute(range_key=True)  # epoch ms of the midnight; lines with at < day_end are included
    closing = NumberAttribute()
    computed_at = NumberAttribute()

"""A truckload's payment: what the buyer owes before the load reaches the hall, and what became of it."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class UnpaidByMine(GlobalSecondaryIndex):
    """Sparse: only payments still awaited (awaiting_payment, paying, refunding) carry open_mine_id."""

    class Meta:
        index_name = "unpaid_by_mine"
        projection = AllProjection()

    open_mine_id = UnicodeAttribute(hash_key=True)
    expires_at = NumberAttribute(range_key=True)


class Payment(Model):
    """One per retail waybill; the provider knows it by the waybill id (out_trade_no)."""

    class Meta:
        table_name = "payments"

    waybill_id = UnicodeAttribute(hash_key=True)
    buyer_id = UnicodeAttribute()
    mine_id = UnicodeAttribute()
    amount_fen = NumberAttribute()
    status = UnicodeAttribute()  # awaiting_payment | paying | paid | refunding | refunded | expired | cancelled
    provider = UnicodeAttribute()
    pay_url = UnicodeAttribute(null=True)
    transaction_id = UnicodeAttribute(null=True)
    refunded_fen = NumberAttribute(default=0)
    open_mine_id = UnicodeAttribute(null=True)
    expires_at = NumberAttribute()
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    paid_at = NumberAttribute(null=True)
    unpaid_by_mine = UnpaidByMine()

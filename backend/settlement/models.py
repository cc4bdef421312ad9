"""Settlement records: contract terms (per mine or per shipper at a mine), adjustments per waybill, the job's cursor."""

from pynamodb.attributes import JSONAttribute, ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute

from backend.common.table_model import Model


class SettlementTerms(Model):
    """One contract's terms; a waybill uses its shipper's at the mine, else the mine's, else the settings."""

    class Meta:
        table_name = "settlement_terms"

    terms_id = UnicodeAttribute(hash_key=True)  # "mine:<mine_id>" or "shipper:<org_id>@<mine_id>"
    mine_id = UnicodeAttribute()
    shipper_id = UnicodeAttribute(null=True)
    allowance_kind = UnicodeAttribute()  # kg | permille
    allowance_value = NumberAttribute()
    prepaid_permille = NumberAttribute()
    prepaid_form = UnicodeAttribute()  # cash | fuel_card
    fee_permille = NumberAttribute()
    rounding_fen = NumberAttribute()  # 1 | 100 | 1000
    detention_free_minutes = NumberAttribute()
    detention_fen_per_hour = NumberAttribute()
    updated_at = NumberAttribute()
    updated_by = UnicodeAttribute()


class Adjustment(MapAttribute):
    """One agreed change to a payee's freight: + a bonus, − a deduction (fen), with who and why."""

    adjustment_id = UnicodeAttribute()
    reason = UnicodeAttribute()
    fen = NumberAttribute()
    by = UnicodeAttribute()  # the user who added it
    by_role = UnicodeAttribute()
    at = NumberAttribute()


class SettlementAdjustments(Model):
    """A waybill's adjustments; the settlement closes the record in its own transaction, so none comes late."""

    class Meta:
        table_name = "settlement_adjustments"

    waybill_id = UnicodeAttribute(hash_key=True)
    adjustments = ListAttribute(of=Adjustment, default=list)
    version = NumberAttribute(default=0)  # +1 per adjustment: the settlement's transaction checks the one it read
    closed_at = NumberAttribute(null=True)  # set by the settlement: no adjustment after it


class SettleCursor(Model):
    """Where the scheduled settlement stopped at a mine: the next run goes on from there, oldest first."""

    class Meta:
        table_name = "settlement_cursors"

    mine_id = UnicodeAttribute(hash_key=True)
    after = JSONAttribute(null=True)  # the state index's last evaluated key; None: start from the oldest
    updated_at = NumberAttribute()

"""Settlement contract terms: per mine (its sales company's standard) or per shipper at a mine."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model


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

"""The unloading receipt (卸车回单) of a waybill."""

from pynamodb.attributes import BooleanAttribute, JSONAttribute, ListAttribute, NumberAttribute, UnicodeAttribute

from backend.common.table_model import Model


class Receipt(Model):
    """What was unloaded, where, signed by whom, and whether the buyer accepts it."""

    class Meta:
        table_name = "receipts"

    waybill_id = UnicodeAttribute(hash_key=True)
    driver_id = UnicodeAttribute()
    photo_keys = ListAttribute(of=UnicodeAttribute, default=list)
    signature_key = UnicodeAttribute(null=True)
    signed_by = UnicodeAttribute()  # signature | code
    signer_name = UnicodeAttribute(null=True)
    point = JSONAttribute(null=True)  # GeoJSON Point where the receipt was taken
    inside_fence = BooleanAttribute()
    net_kg = NumberAttribute(null=True)  # loaded at the mine
    received_kg = NumberAttribute()
    loss_kg = NumberAttribute(null=True)  # 途损: loaded minus received
    flags = ListAttribute(of=UnicodeAttribute, default=list)  # outside_fence | loss_over_tolerance
    status = UnicodeAttribute(default="taken")  # taken | confirmed | disputed | resolved (a dispute settled)
    dispute_reason = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    decided_at = NumberAttribute(null=True)
    # The outcome of a dispute, set with disputed → resolved by the dispatch centre (settlement's resolve).
    resolution = UnicodeAttribute(null=True)  # how it was resolved, as the resolver wrote it
    agreed_received_kg = NumberAttribute(null=True)  # the received weight agreed, when it replaced the buyer's
    resolved_by = UnicodeAttribute(null=True)
    resolved_at = NumberAttribute(null=True)

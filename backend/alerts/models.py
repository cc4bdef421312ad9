"""Alerts: a held truck and the evidence a person needs to clear it or confirm it."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class AlertsByMine(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_mine"
        projection = AllProjection()

    mine_id = UnicodeAttribute(hash_key=True)
    created_at = NumberAttribute(range_key=True)


class AlertsByStatus(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    created_at = NumberAttribute(range_key=True)


class AlertsByWaybill(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_waybill"
        projection = AllProjection()

    waybill_id = UnicodeAttribute(hash_key=True)
    created_at = NumberAttribute(range_key=True)


class AlertsByCarrier(GlobalSecondaryIndex):
    """Sparse: only trip alerts name the carrier of the truck, who watches them."""

    class Meta:
        index_name = "by_carrier"
        projection = AllProjection()

    carrier_id = UnicodeAttribute(hash_key=True)
    created_at = NumberAttribute(range_key=True)


class Alert(Model):
    """A gate alert (fake plate, dual identification, weighing) or a trip alert, open until resolved with a reason."""

    class Meta:
        table_name = "alerts"

    alert_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # fake_plate | dual_id_mismatch | weighing | route_deviation | long_stop
    status = UnicodeAttribute(default="open")  # open | cleared | confirmed
    mine_id = UnicodeAttribute()  # the gate's mine; for a trip alert the mine the coal came from
    carrier_id = UnicodeAttribute(null=True)  # trip alerts: the truck's carrier sees them too
    plate = UnicodeAttribute(null=True)
    vehicle_id = UnicodeAttribute(null=True)
    waybill_id = UnicodeAttribute(null=True)
    sighting_id = UnicodeAttribute(null=True)
    ticket_id = UnicodeAttribute(null=True)
    reason = UnicodeAttribute()  # one line a person reads first
    score = NumberAttribute(null=True)
    threshold = NumberAttribute(null=True)
    signals = JSONAttribute(null=True)
    rules = JSONAttribute(null=True)
    evidence = JSONAttribute(null=True)  # {"gate": {...}, "last_fix": {...}, "numbers": {...}}
    held = UnicodeAttribute(null=True)  # "held" when the waybill was held by this alert
    created_at = NumberAttribute()
    resolved_at = NumberAttribute(null=True)
    resolved_by = UnicodeAttribute(null=True)
    resolution_reason = UnicodeAttribute(null=True)
    by_mine = AlertsByMine()
    by_status = AlertsByStatus()
    by_waybill = AlertsByWaybill()
    by_carrier = AlertsByCarrier()

"""The waybill (派车单): one truckload's life, and the append-only history of its transitions."""
from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


def _index(name, hash_name, range_name):
    """A GSI over (hash_name, range_name) with every attribute projected."""
    meta = type("Meta", (), {"index_name": name, "projection": AllProjection()})
    return type(f"Waybills_{name}", (GlobalSecondaryIndex,), {
        "Meta": meta, hash_name: UnicodeAttribute(hash_key=True), range_name: NumberAttribute(range_key=True)})


ByDriver = _index("by_driver", "driver_id", "updated_at")
ByCarrier = _index("by_carrier", "carrier_id", "created_at")
ByShipper = _index("by_shipper", "shipper_id", "created_at")
ByBuyer = _index("by_buyer", "buyer_id", "created_at")
ByMine = _index("by_mine", "mine_id", "updated_at")
Hall = _index("hall", "hall_mine_id", "created_at")
ByVehicle = _index("by_vehicle", "vehicle_id", "updated_at")  # the gate's plate and tracking's terminal


class Waybill(Model):
    """One truckload. `state` and `version` change only through the transition table."""

    class Meta:
        table_name = "waybills"

    waybill_id = UnicodeAttribute(hash_key=True)
    state = UnicodeAttribute()
    version = NumberAttribute(default=0)
    held_from = UnicodeAttribute(null=True)
    hold_reason = UnicodeAttribute(null=True)
    order_id = UnicodeAttribute(null=True)
    mine_id = UnicodeAttribute()
    product_id = UnicodeAttribute()
    tonnage_kg = NumberAttribute()
    price_fen_per_t = NumberAttribute(null=True)
    freight_fen_per_t = NumberAttribute(null=True)
    shipper_id = UnicodeAttribute(null=True)  # shipper organisation
    buyer_id = UnicodeAttribute(null=True)  # buyer user
    carrier_id = UnicodeAttribute(null=True)  # carrier organisation (entrusted or the driver's)
    entrust_status = UnicodeAttribute(null=True)  # pending | accepted | declined
    driver_id = UnicodeAttribute(null=True)
    vehicle_id = UnicodeAttribute(null=True)
    plate = UnicodeAttribute(null=True)
    hall_mine_id = UnicodeAttribute(null=True)  # set only while published in the order hall
    destination = JSONAttribute(null=True)  # {"address", "point", "polygon"} GeoJSON [lon, lat]
    wanted_date = UnicodeAttribute(null=True)  # YYYY-MM-DD, Asia/Shanghai
    booking_id = UnicodeAttribute(null=True)
    slot_id = UnicodeAttribute(null=True)
    tare_kg = NumberAttribute(null=True)
    gross_kg = NumberAttribute(null=True)
    net_kg = NumberAttribute(null=True)
    received_kg = NumberAttribute(null=True)
    extra = JSONAttribute(null=True)  # small per-domain facts that need no index
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    by_driver = ByDriver()
    by_carrier = ByCarrier()
    by_shipper = ByShipper()
    by_buyer = ByBuyer()
    by_mine = ByMine()
    hall = Hall()
    by_vehicle = ByVehicle()


class WaybillEvent(Model):
    """One transition: who, when, where, from which state to which."""

    class Meta:
        table_name = "waybill_events"

    waybill_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute(range_key=True)  # the waybill's version after the transition
    action = UnicodeAttribute()
    from_state = UnicodeAttribute()
    to_state = UnicodeAttribute()
    actor_id = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    at = NumberAttribute()
    where = JSONAttribute(null=True)  # GeoJSON Point when known
    reason = UnicodeAttribute(null=True)

"""The waybill (派车单): one truckload's life, and the append-only history of its transitions."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection

from backend.common.table_model import Model

# What the order hall shows (dispatch.hall.hall_view) and filters on: its two indexes project only this,
# so a hall page is one Query and a waybill outside the hall costs those indexes nothing.
HALL_FIELDS = [
    "mine_id",
    "state",
    "product_id",
    "tonnage_kg",
    "freight_fen_per_t",
    "wanted_date",
    "destination",
    "version",
    "shipper_id",  # whose load: the hall's credit gate applies the shipper's (buyer's) minimum driver grade
    "buyer_id",
    "ordered_by",  # who placed the order: the hall shows a company load's phone (theirs, when they are its staff)
]
HALL_SCOPE = "all"  # one partition for the whole hall; a region code would split it if publishing ever outgrew it


def _index(name, hash_name, range_name, projection, range_type=NumberAttribute):
    """A GSI over (hash_name, range_name) with the given projection."""
    meta = type("Meta", (), {"index_name": name, "projection": projection})
    return type(
        f"Waybills_{name}",
        (GlobalSecondaryIndex,),
        {"Meta": meta, hash_name: UnicodeAttribute(hash_key=True), range_name: range_type(range_key=True)},
    )


def _keys(name, hash_name, range_name="state_at"):
    """A keys-only index: its Query pages keys and the list reads the page's items with one BatchGet."""
    return _index(
        name,
        hash_name,
        range_name,
        KeysOnlyProjection(),
        UnicodeAttribute if range_name == "state_at" else NumberAttribute,
    )


# Projections follow what each query reads. ALL only where the reader needs the whole item straight away:
# by_driver (tracking resolves a phone fix to the driver's trip and uses the waybill whole) and by_vehicle
# (the gate identifies a truck's current waybill and admits / weighs it). Those two are keyed on updated_at,
# so each transition rewrites them anyway; they can go KEYS_ONLY once those readers use claim items.
ByDriver = _index("by_driver", "driver_id", "updated_at", AllProjection())
ByVehicle = _index("by_vehicle", "vehicle_id", "updated_at", AllProjection())
# Party lists page keys (a transition rewrites nothing here: keys are fixed at creation or assignment).
ByCarrier = _keys("by_carrier", "carrier_id", "created_at")
ByShipper = _keys("by_shipper", "shipper_id", "created_at")
ByBuyer = _keys("by_buyer", "buyer_id", "created_at")
ByMine = _keys("by_mine", "mine_id", "updated_at")
# State-filtered lists: (party, "<state>#<updated_at>") so `state = X` is a key condition (begins_with),
# newest first, and a page costs the page whatever the party's history.
DriverState = _keys("driver_state", "driver_id")
CarrierState = _keys("carrier_state", "carrier_id")
ShipperState = _keys("shipper_state", "shipper_id")
BuyerState = _keys("buyer_state", "buyer_id")
MineState = _keys("mine_state", "mine_id")
# The hall: per mine (a mine filter is a key) and whole (one Query for every mine), both sparse.
Hall = _index("hall", "hall_mine_id", "created_at", IncludeProjection(HALL_FIELDS))
HallAll = _index("hall_all", "hall_scope", "created_at", IncludeProjection(HALL_FIELDS + ["hall_mine_id"]))


def state_at(state, updated_at):
    """The state index sort key: state first (a key condition), then time (newest first within it)."""
    return f"{state}#{int(updated_at):013d}"


def derived_keys(state, updated_at, hall_mine_id):
    """Index keys computed from other attributes: {name: value or None}."""
    return {
        "state_at": state_at(state, updated_at) if state and updated_at is not None else None,
        "hall_scope": HALL_SCOPE if hall_mine_id else None,
    }


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
    # Facts that drive rules (they lived in an untyped `extra` JSON before; see waybills/migrate.py).
    kind = UnicodeAttribute(null=True)  # retail: a buyer's one truckload | bulk: drawn from a shipper's allocation,
    #                                     so it counts against the shipper's daily truck quota at the mine
    ordered_by = UnicodeAttribute(null=True)  # the user who placed the order: only they (or an admin) may cancel
    quote = JSONAttribute(null=True)  # the price shown at ordering: road_distance_m, coal_fen, freight_fen, total_fen
    via = UnicodeAttribute(null=True)  # hall | carrier: how the driver got it; a load given back returns there
    quota_date = UnicodeAttribute(null=True)  # YYYY-MM-DD: the day of the shipper's quota at this mine the truck uses
    declined_by = UnicodeAttribute(null=True)  # the carrier that last declined the entrustment
    route = JSONAttribute(null=True)  # GeoJSON LineString the truck is expected to follow (deviation alerts)
    # The deposit (保证金) a low-grade driver put up on the grab (trust/deposit.py): its ledger entry, amount and
    # the account it came from, so giving it back needs no read.
    deposit_entry = UnicodeAttribute(null=True)
    deposit_fen = NumberAttribute(null=True)
    deposit_from = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    state_at = UnicodeAttribute(null=True)  # derived: "<state>#<updated_at>" (state indexes)
    hall_scope = UnicodeAttribute(null=True)  # derived: set only while in the hall (hall_all index)
    by_driver = ByDriver()
    by_carrier = ByCarrier()
    by_shipper = ByShipper()
    by_buyer = ByBuyer()
    by_mine = ByMine()
    hall = Hall()
    by_vehicle = ByVehicle()
    driver_state = DriverState()
    carrier_state = CarrierState()
    shipper_state = ShipperState()
    buyer_state = BuyerState()
    mine_state = MineState()
    hall_all = HallAll()

    def serialize(self, null_check=True):
        """Every whole-item write (save, batch, transaction) carries the derived index keys."""
        for name, value in derived_keys(self.state, self.updated_at, self.hall_mine_id).items():
            setattr(self, name, value)
        return super().serialize(null_check=null_check)


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

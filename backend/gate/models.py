"""Gate records: plate sightings, QR scans and weigh tickets."""

from pynamodb.attributes import BooleanAttribute, JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


def _index(prefix, name, hash_name, range_name="at"):
    """A GSI over (hash_name, range_name) with every attribute projected."""
    meta = type("Meta", (), {"index_name": name, "projection": AllProjection()})
    return type(
        f"{prefix}_{name}",
        (GlobalSecondaryIndex,),
        {"Meta": meta, hash_name: UnicodeAttribute(hash_key=True), range_name: NumberAttribute(range_key=True)},
    )


class Sighting(Model):
    """One plate read by a gate camera, with its risk score and the decision taken."""

    class Meta:
        table_name = "gate_sightings"

    sighting_id = UnicodeAttribute(hash_key=True)
    mine_id = UnicodeAttribute()
    lane_key = UnicodeAttribute()  # "<mine_id>#<lane>": where a QR scan may pair with it
    device_id = UnicodeAttribute()
    direction = UnicodeAttribute(default="in")  # in | out
    plate = UnicodeAttribute()  # normalised read, possibly invalid
    plate_color = UnicodeAttribute(null=True)
    vehicle_color = UnicodeAttribute(null=True)
    vehicle_type = UnicodeAttribute(null=True)
    confidence = NumberAttribute(null=True)
    image_ref = UnicodeAttribute(null=True)
    source = UnicodeAttribute(default="json")  # json | vzenith
    at = NumberAttribute()
    vehicle_id = UnicodeAttribute(null=True)  # the registered truck of the plate, if any
    waybill_id = UnicodeAttribute(null=True)
    qr_scan_id = UnicodeAttribute(null=True)  # set once paired
    score = NumberAttribute(null=True)
    threshold = NumberAttribute(null=True)
    signals = JSONAttribute(null=True)
    features = JSONAttribute(null=True)
    rules = JSONAttribute(null=True)  # hard rules that fired
    evidence = JSONAttribute(null=True)  # gate point, last fix, distances
    decision = UnicodeAttribute(null=True)  # pass | alert
    alert_id = UnicodeAttribute(null=True)
    scored_at = NumberAttribute(null=True)
    tare_kg = NumberAttribute(null=True)  # the empty weighing after this entry, once known
    # An unknown read taken as a camera misread of a registered truck: `plate` then holds that
    # truck's plate, `resolved_from` the camera's raw read and `resolution` why (confusion
    # weight, the truck's GPS at the gate, its booking here), for gate staff to check.
    resolved_from = UnicodeAttribute(null=True)
    resolution = JSONAttribute(null=True)
    by_plate = _index("Sightings", "by_plate", "plate")()
    by_lane = _index("Sightings", "by_lane", "lane_key")()
    by_mine = _index("Sightings", "by_mine", "mine_id")()
    by_vehicle = _index("Sightings", "by_vehicle", "vehicle_id")()


class QrScan(Model):
    """A gate pass scanned at a lane, waiting to pair with the plate read."""

    class Meta:
        table_name = "gate_qr_scans"

    scan_id = UnicodeAttribute(hash_key=True)
    mine_id = UnicodeAttribute()
    lane_key = UnicodeAttribute()
    device_id = UnicodeAttribute()
    waybill_id = UnicodeAttribute()
    vehicle_id = UnicodeAttribute(null=True)
    plate = UnicodeAttribute(null=True)
    at = NumberAttribute()
    sighting_id = UnicodeAttribute(null=True)  # set once paired
    outcome = UnicodeAttribute(null=True)  # entered | mismatch | refused
    by_lane = _index("QrScans", "by_lane", "lane_key")()


class WeighTicket(Model):
    """One counted weighing (tare or gross) of a waybill's truck: the driver's, shipper's and buyer's ticket."""

    class Meta:
        table_name = "gate_weigh_tickets"

    ticket_id = UnicodeAttribute(hash_key=True)
    waybill_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # tare | gross
    mine_id = UnicodeAttribute()
    vehicle_id = UnicodeAttribute(null=True)
    plate = UnicodeAttribute(null=True)
    device_id = UnicodeAttribute()
    kg = NumberAttribute()
    axles = NumberAttribute(null=True)
    tare_kg = NumberAttribute(null=True)
    gross_kg = NumberAttribute(null=True)
    net_kg = NumberAttribute(null=True)
    limits = JSONAttribute(null=True)  # the bounds this weighing was checked against
    problems = JSONAttribute(null=True)  # [{"code", "message", ...}] when out of bounds
    held = BooleanAttribute(default=False)
    at = NumberAttribute()
    # A gross the gate sent back (unload the surplus, weigh again): kept on the waybill, no longer counted.
    superseded_at = NumberAttribute(null=True)
    surplus_kg = NumberAttribute(null=True)  # what had to come off to be within every limit
    reweigh_reason = UnicodeAttribute(null=True)
    by_waybill = _index("Tickets", "by_waybill", "waybill_id")()
    by_vehicle = _index("Tickets", "by_vehicle", "vehicle_id")()
    by_mine = _index("Tickets", "by_mine", "mine_id")()

"""An unknown plate read is first taken as a camera misread of a registered truck; only an unexplained one alerts."""

import random

from backend.alerts import store as alerts_store
from backend.gate import store as gate_store
from tests.gate.helpers import Truck, state_of


def _plate_with_eights():
    """A random plate whose last character is 8 (the camera reads B) and whose others avoid confusable pairs."""
    quiet = "KMPRWXY"  # letters outside the confusion table: no other candidate plate to compete
    return "陕K" + "".join(random.choice(quiet) for _ in range(4)) + "8"


def test_a_misread_of_a_truck_at_the_gate_resolves_to_it(gate, client):
    truck = Truck(plate=_plate_with_eights())
    truck.fix(east_m=80, ago_s=40)
    waybill = truck.waybill()
    read = truck.plate[:-1] + "B"
    reply = gate.read(client, read)
    sighting = reply.json["sighting"]
    assert sighting["plate"] == truck.plate and sighting["resolved_from"] == read
    assert sighting["resolution"]["evidence"]["gps_at_gate"] is True
    assert sighting["rules"] == [] and sighting["decision"] == "pass"
    assert sighting["vehicle_id"] == truck.vehicle.vehicle_id
    assert state_of(waybill) == "called"
    # The gate's list shows the same: the raw read beside the truck it was taken for.
    stored = gate_store.get_sighting(sighting["id"])
    assert (stored.plate, stored.resolved_from) == (truck.plate, read)


def test_a_lookalike_whose_truck_is_provably_elsewhere_stays_an_unknown_plate(gate, client):
    truck = Truck(plate=_plate_with_eights())
    truck.fix(east_m=-60_000, ago_s=120)  # 60 km away two minutes ago: not at this gate
    read = truck.plate[:-1] + "B"
    sighting = gate.read(client, read).json["sighting"]
    assert sighting["plate"] == read and sighting["resolved_from"] is None
    assert sighting["rules"] == ["unknown_plate"] and sighting["decision"] == "alert"
    assert alerts_store.get(sighting["alert_id"]).rules[0]["rule"] == "unknown_plate"


def test_a_plate_no_confusion_explains_alerts(gate, client):
    plate = "陕K" + "".join(random.choice("KMPRWXY") for _ in range(5))
    sighting = gate.read(client, plate).json["sighting"]
    assert sighting["rules"] == ["unknown_plate"] and sighting["resolved_from"] is None


def test_a_booked_lookalike_truck_counts_as_at_the_gate(gate, client):
    booked = Truck(plate=_plate_with_eights())
    booked.waybill(state="checked_in")
    named = Truck(plate=booked.plate[:-1] + "B")  # the camera's read names this registered truck
    named.fix(east_m=-60_000, ago_s=120)
    unbooked = Truck(plate=_plate_with_eights())
    other = Truck(plate=unbooked.plate[:-1] + "B")
    features = {}
    for truck in (named, other):
        sighting = gate.read(client, truck.plate).json["sighting"]
        features[truck.plate] = gate_store.get_sighting(sighting["id"]).features
    assert features[named.plate]["lookalike_nearby"] == 1.0
    assert features[other.plate]["lookalike_nearby"] == 0.0

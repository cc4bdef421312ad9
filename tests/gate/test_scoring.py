"""Fake-plate scoring with the real ONNX model, hard rules, and rescoring when late GPS arrives."""

from backend.alerts import store as alerts_store
from backend.common.clock import now_ms
from backend.gate import scoring
from backend.gate import store as gate_store
from backend.risk import model as risk_model
from backend.waybills import store as waybills_store
from tests.gate.helpers import Truck, state_of


def test_a_clone_far_from_its_registered_trucks_last_fix_is_held_with_evidence(gate, client):
    truck = Truck()
    truck.fix(east_m=180_000, north_m=60_000, ago_s=300)  # the real truck, ~190 km away 5 min ago
    waybill = truck.waybill()
    sighting = gate.read(client, truck.plate).json["sighting"]
    assert sighting["decision"] == "alert"
    assert sighting["score"] >= risk_model.threshold()
    assert sighting["signals"] and sighting["signals"][0]["feature"].startswith("fix_")
    held = waybills_store.get(waybill.waybill_id)
    assert held.state == "held" and "fake-plate" in held.hold_reason
    alert = alerts_store.get(sighting["alert_id"])
    assert alert.kind == "fake_plate" and alert.waybill_id == waybill.waybill_id
    assert alert.evidence["numbers"]["distance_m"] > 150_000
    assert alert.evidence["last_fix"]["lonlat"][0] > alert.evidence["gate"]["lonlat"][0]


def test_the_registered_truck_at_the_gate_passes(gate, client):
    truck = Truck()
    truck.fix(east_m=90, ago_s=40)
    waybill = truck.waybill()
    sighting = gate.read(client, truck.plate).json["sighting"]
    assert sighting["decision"] == "pass" and sighting["score"] < risk_model.threshold()
    assert state_of(waybill) == "called"


def test_an_unknown_plate_raises_an_alert(gate, client):
    sighting = gate.read(client, "陕K0Z0Z0").json["sighting"]
    assert sighting["decision"] == "alert" and sighting["rules"] == ["unknown_plate"]
    assert alerts_store.get(sighting["alert_id"]).rules[0]["rule"] == "unknown_plate"


def test_an_invalid_plate_format_raises_an_alert(gate, client):
    sighting = gate.read(client, "ABC123").json["sighting"]
    assert sighting["decision"] == "alert" and sighting["rules"] == ["invalid_plate"]


def test_one_blue_plate_read_of_a_yellow_registered_truck_does_not_block(gate, client):
    truck = Truck()
    truck.fix(east_m=60)
    waybill = truck.waybill()
    sighting = gate.read(client, truck.plate, plate_color="blue", vehicle_type="heavy_semitrailer_tractor").json[
        "sighting"
    ]
    assert "heavy_on_blue" not in sighting["rules"]
    stored = gate_store.get_sighting(sighting["id"])
    assert stored.features["plate_colour_mismatch"] == 1.0  # the read still counts, as evidence
    assert sighting["decision"] == "pass" and state_of(waybill) == "called"


def test_a_heavy_truck_on_a_blue_plate_read_twice_is_held(gate, client):
    truck = Truck()
    truck.fix(east_m=60)
    waybill = truck.waybill(state="checked_in")  # not called: the first read waits, nothing enters
    gate.read(client, truck.plate, plate_color="blue")
    sighting = gate.read(client, truck.plate, plate_color="blue").json["sighting"]
    assert "heavy_on_blue" in sighting["rules"]
    assert state_of(waybill) == "held"


def test_a_heavy_truck_registered_on_a_blue_plate_is_held(gate, client):
    truck = Truck(plate_color="blue")
    truck.fix(east_m=60)
    waybill = truck.waybill()
    sighting = gate.read(client, truck.plate, plate_color="blue").json["sighting"]
    assert "heavy_on_blue" in sighting["rules"]
    assert state_of(waybill) == "held"


def test_late_gps_rescores_the_sighting(gate, client):
    truck = Truck()
    waybill = truck.waybill(state="checked_in")  # not called: the read waits, nothing enters
    first = gate.read(client, truck.plate).json["sighting"]
    # The terminal uploads its blind-zone fixes late: the truck was 200 km away at the read.
    truck.fix(east_m=-200_000, ago_s=60)
    rescored = scoring.rescore_for_vehicle(vehicle_id=truck.vehicle.vehicle_id, now_ms=now_ms())
    assert [s.sighting_id for s in rescored] == [first["id"]]
    stored = gate_store.get_sighting(first["id"])
    assert stored.score > first["score"] and stored.decision == "alert"
    assert state_of(waybill) == "held"


def test_a_late_terminal_upload_rescores_through_tracking(gate, client):
    from backend.tracking import consumers

    truck = Truck()
    waybill = truck.waybill(state="checked_in")
    first = gate.read(client, truck.plate).json["sighting"]
    fix_at = now_ms() - 5 * 60_000  # taken 5 min ago, 200 km away, uploaded only now
    truck.fix(east_m=-200_000, ago_s=300)
    consumers.publish(
        [{"lon": 108.0, "lat": 38.9, "at_ms": fix_at}],
        vehicle_id=truck.vehicle.vehicle_id,
        driver_id=truck.driver.user_id,
        now_ms=now_ms(),
    )
    assert gate_store.get_sighting(first["id"]).decision == "alert"
    assert state_of(waybill) == "held"

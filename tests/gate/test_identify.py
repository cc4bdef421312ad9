"""Device auth on the gate endpoints, payload shapes, and dual identification (QR pass + plate)."""

from backend.alerts import store as alerts_store
from backend.waybills import store as waybills_store
from tests.gate.helpers import SignedDevice, Truck, pass_token, state_of


def test_a_correctly_signed_camera_read_is_accepted(gate, client):
    truck = Truck()
    truck.fix(east_m=150)
    reply = gate.read(client, truck.plate)
    assert reply.status_code == 201, reply.json
    assert reply.json["sighting"]["plate"] == truck.plate
    assert reply.json["sighting"]["decision"] == "pass"


def test_a_bad_signature_is_refused(gate, client):
    reply = gate.camera.post(client, "/api/gate/sightings", {"plate": "陕K12345"}, key="not-the-key")
    assert reply.status_code == 401
    assert reply.json["error"]["code"] == "device_bad_signature"


def test_an_unsigned_call_is_refused(gate, client):
    reply = client.post("/api/gate/weighings", json={"kg": 15000, "stable": True})
    assert reply.status_code == 401
    assert reply.json["error"]["code"] == "device_auth_required"


def test_a_weighbridge_cannot_post_plate_reads(gate, client):
    reply = gate.bridge.post(client, "/api/gate/sightings", {"plate": "陕K12345"})
    assert reply.status_code == 403
    assert reply.json["error"]["code"] == "forbidden_device"


def test_vzenith_alarm_payload_is_normalised(gate, client):
    truck = Truck()
    truck.fix(east_m=100)
    body = {
        "AlarmInfoPlate": {
            "channel": gate.lane,
            "deviceName": "IVS",
            "result": {
                "PlateResult": {
                    "license": truck.plate[:2] + "·" + truck.plate[2:].lower(),
                    "colorType": 2,
                    "confidence": 97,
                    "carColor": 4,
                    "timeStamp": {"Timeval": {"sec": 1_780_000_000, "usec": 500_000}},
                }
            },
        }
    }
    reply = gate.camera.post(client, "/api/gate/sightings", body)
    assert reply.status_code == 201, reply.json
    sighting = reply.json["sighting"]
    assert (sighting["plate"], sighting["plate_color"], sighting["vehicle_color"]) == (truck.plate, "yellow", "red")
    assert sighting["source"] == "vzenith" and sighting["at"] == 1_780_000_000_500


def test_matching_pass_and_plate_enter_the_called_truck(gate, client):
    truck = Truck()
    truck.fix(east_m=120)
    waybill = truck.waybill()
    assert gate.scan(client, waybill).json["identification"]["outcome"] == "waiting"
    reply = gate.read(client, truck.plate)
    assert reply.json["identification"] == {"outcome": "entered", "waybill_id": waybill.waybill_id, "reason": None}
    assert state_of(waybill) == "entered"


def test_plate_first_then_pass_also_enters(gate, client):
    truck = Truck()
    truck.fix(east_m=-80)
    waybill = truck.waybill()
    gate.read(client, truck.plate)
    assert gate.scan(client, waybill).json["identification"]["outcome"] == "entered"
    assert state_of(waybill) == "entered"


def test_a_pass_for_another_truck_holds_the_waybill_with_the_reason(gate, client):
    passed, other = Truck(), Truck()
    passed.fix(east_m=50)
    other.fix(east_m=60)
    waybill = passed.waybill()
    gate.scan(client, waybill)
    reply = gate.read(client, other.plate)
    assert reply.json["identification"]["outcome"] == "mismatch"
    held = waybills_store.get(waybill.waybill_id)
    assert held.state == "held" and held.held_from == "called"
    assert other.plate in held.hold_reason and passed.plate in held.hold_reason
    alerts = alerts_store.open_for_waybill(waybill.waybill_id)
    assert [a.kind for a in alerts] == ["dual_id_mismatch"]


def test_a_truck_that_is_not_called_is_refused(gate, client):
    truck = Truck()
    truck.fix(east_m=40)
    waybill = truck.waybill(state="checked_in")
    gate.scan(client, waybill)
    reply = gate.read(client, truck.plate)
    assert reply.json["identification"]["outcome"] == "refused"
    assert state_of(waybill) == "checked_in"


def test_reads_outside_the_window_do_not_pair(gate, client):
    truck = Truck()
    truck.fix(east_m=40)
    waybill = truck.waybill()
    gate.scan(client, waybill)
    from backend.common.clock import now_ms

    reply = gate.read(client, truck.plate, at=now_ms() - 10 * 60_000)
    assert reply.json["identification"]["outcome"] == "waiting"
    assert state_of(waybill) == "called"


def test_a_device_of_another_mine_cannot_enter_this_mines_truck(gate, client):
    truck = Truck()
    waybill = truck.waybill()
    scanner = SignedDevice("qr_scanner", "mine_ntt")
    reply = scanner.post(client, "/api/gate/qr-scans", {"token": pass_token(waybill), "lane": gate.lane})
    assert reply.status_code == 409 and reply.json["error"]["code"] == "pass_wrong_mine"

"""The demo gate: devices a simulator can sign for, and the cloned-plate scenario held with its evidence."""

from flask import current_app

from backend.alerts import store as alerts_store
from backend.appointments.queue import service as queue
from backend.common.clock import now_ms
from backend.devices.signing import derive_key, signed_headers
from backend.seed.gate import CLONED, READY, demo_device_id, demo_salt
from backend.waybills import store as waybills_store


def test_the_demo_clone_is_held_with_evidence(ctx):
    waybill = waybills_store.get(CLONED[0])
    assert waybill.state == "held" and "fake-plate" in waybill.hold_reason
    (alert,) = alerts_store.open_for_waybill(CLONED[0]) or [None]
    assert alert.kind == "fake_plate" and alert.evidence["numbers"]["distance_m"] > 50_000
    assert alert.evidence["last_fix"]["lonlat"] == [109.99, 39.82]


def test_a_simulator_can_sign_as_a_demo_device(ctx, client):
    device_id = demo_device_id("mine_ntt", "camera")
    key = derive_key(current_app.config["DEVICE_MASTER_KEY"], device_id, demo_salt("mine_ntt", "camera"))
    headers = signed_headers(device_id, key, "POST", "/api/devices/heartbeat", b"", now_ms())
    reply = client.post("/api/devices/heartbeat", headers=headers)
    assert reply.status_code == 200 and reply.json["mine_id"] == "mine_ntt"


def test_the_gate_queue_board_shows_the_demo_s_called_truck(ctx):
    board = queue.board(mine_id="mine_hll", now_ms=now_ms())
    assert READY[1] in {b.booking_id for b in board["called"]}

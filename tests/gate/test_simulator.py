"""The gate simulator plays a called truck through a live app: pass, plate, tare, gross, exit."""

import os

from backend.waybills import store as waybills_store
from scripts.gate_simulator import Truck as SimTruck
from scripts.gate_simulator import play_gate_flow
from tests.builders import PASSWORD
from tests.gate.helpers import HLL_GATE, Truck


def test_simulator_takes_a_called_truck_from_pass_to_exit(app, live_server):
    with app.app_context():
        truck = Truck(tare_kg=15000, rated_load_kg=34000, axles=6)
        waybill = truck.waybill(state="called", tonnage_kg=33000)
    sim = SimTruck(
        booking_id=waybill.booking_id,
        plate=truck.plate,
        driver_phone=truck.driver.phone,
        driver_password=PASSWORD,
        tare_kg=15100,
        load_kg=32900,
        gate_lonlat=HLL_GATE,
    )
    steps = play_gate_flow(str(live_server), os.environ["DEVICE_MASTER_KEY"], sim, log=lambda _: None)
    by_name = {s["step"]: s for s in steps}
    assert all(s["status"] < 400 for s in steps), [(s["step"], s["status"], s["body"]) for s in steps]
    assert by_name["driver gate pass"]["body"]["claims"]["waybill_id"] == waybill.waybill_id
    assert by_name["ANPR read (entry)"]["body"]["identification"]["outcome"] == "entered"
    assert by_name["tare weighing"]["body"]["ticket"]["kind"] == "tare"
    gross = by_name["gross weighing"]["body"]["ticket"]
    assert (gross["kind"], gross["net_kg"], gross["held"]) == ("gross", 32900, False)
    assert by_name["ANPR read (exit)"]["body"]["identification"]["outcome"] == "released"
    with app.app_context():
        assert waybills_store.get(waybill.waybill_id).state == "released"

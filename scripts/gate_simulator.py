"""Play one truck through a mine gate against a running app, signing as the demo gate devices.

    bash scripts/run.sh                      # in another terminal: the app with demo data on :8000
    .venv/bin/python scripts/gate_simulator.py
    .venv/bin/python scripts/gate_simulator.py --base-url http://127.0.0.1:8000 --booking bk_demo_gate

Steps: the driver signs in and fetches the gate pass (as the driver app does) and reports a position at the
gate; the QR scanner posts the pass; the camera posts a Vzenith AlarmInfoPlate read; the weighbridge posts
the tare and the gross; the exit camera releases the truck. Each reply is printed.
"""

import argparse
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from backend.devices.signing import derive_key, signed_headers  # noqa: E402
from backend.seed.demo_data import DEMO_PASSWORD  # noqa: E402
from backend.seed.gate import demo_device_id, demo_salt  # noqa: E402

SECRETS_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".data", "secrets.env")
VZ_YELLOW = 2  # Vzenith colorType: 1 blue, 2 yellow, 3 white, 4 black, 5 green, 6 yellow-green
DEMO_GATE = (110.3302, 38.9326)  # 红柳林 (mine_hll) gate, [lon, lat]


@dataclass
class Truck:
    """What the simulator needs to know about the truck it plays (defaults: the demo's called truck)."""

    booking_id: str = "bk_demo_gate"
    plate: str = "陕K3A612"
    driver_phone: str = "13900000001"
    driver_password: str = DEMO_PASSWORD
    tare_kg: int = 15200
    load_kg: int = 33000
    axles: int = 6
    mine_id: str = "mine_hll"
    gate_lonlat: tuple = DEMO_GATE


def now_ms():
    return int(time.time() * 1000)


def master_key_from_secrets(path=SECRETS_FILE):
    """DEVICE_MASTER_KEY from the environment, else from the local run's .data/secrets.env."""
    if os.environ.get("DEVICE_MASTER_KEY"):
        return os.environ["DEVICE_MASTER_KEY"]
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            name, _, value = line.strip().partition("=")
            if name == "DEVICE_MASTER_KEY":
                return value.strip().strip('"')
    raise SystemExit(f"DEVICE_MASTER_KEY is neither in the environment nor in {path}")


class Device:
    """A demo gate device of a mine that signs its requests with the key derived from the master key."""

    def __init__(self, base_url, master_key, mine_id, kind):
        self.base_url, self.device_id = base_url, demo_device_id(mine_id, kind)
        self.key = derive_key(master_key, self.device_id, demo_salt(mine_id, kind))

    def post(self, path, body):
        raw = json.dumps(body, ensure_ascii=False).encode()
        headers = signed_headers(self.device_id, self.key, "POST", path, raw, now_ms())
        headers.update({"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex})
        return requests.post(self.base_url + path, data=raw, headers=headers, timeout=30)


def _driver_session(base_url, truck):
    reply = requests.post(
        f"{base_url}/api/auth/login", timeout=30, json={"phone": truck.driver_phone, "password": truck.driver_password}
    )
    reply.raise_for_status()
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _vzenith(plate, lane, *, direction):
    """The AlarmInfoPlate push of a Vzenith-style ANPR camera."""
    stamp = now_ms()
    return {
        "AlarmInfoPlate": {
            "channel": lane,
            "deviceName": "gate-sim",
            "result": {
                "PlateResult": {
                    "license": plate,
                    "colorType": VZ_YELLOW,
                    "confidence": 96,
                    "carColor": 4,
                    "direction": direction,
                    "timeStamp": {"Timeval": {"sec": stamp // 1000, "usec": (stamp % 1000) * 1000}},
                }
            },
        }
    }


def _step(log, name, reply):
    body = reply.json() if reply.headers.get("Content-Type", "").startswith("application/json") else reply.text
    log(f"[{name}] HTTP {reply.status_code}\n{json.dumps(body, ensure_ascii=False, indent=2)}")
    return {"step": name, "status": reply.status_code, "body": body}


def play_gate_flow(base_url, master_key, truck=None, *, lane=None, log=print):
    """Run one truck through entry, tare, gross and exit; returns each step's status and reply."""
    truck, lane = truck or Truck(), lane or uuid.uuid4().hex[:8]  # a lane of its own: never pairs with others
    devices = {
        kind: Device(base_url, master_key, truck.mine_id, kind) for kind in ("camera", "qr_scanner", "weighbridge")
    }
    driver = _driver_session(base_url, truck)
    steps = []
    gate_pass = requests.get(
        f"{base_url}/api/appointments/bookings/{truck.booking_id}/pass", headers=driver, timeout=30
    )
    steps.append(_step(log, "driver gate pass", gate_pass))
    gate_pass.raise_for_status()
    claims = gate_pass.json()["claims"]
    lon, lat = truck.gate_lonlat
    fix = {"lon": lon, "lat": lat, "at_ms": now_ms(), "speed_kmh": 0, "accuracy_m": 10}
    steps.append(
        _step(
            log,
            "driver position at the gate",
            requests.post(
                f"{base_url}/api/tracking/fixes",
                json={"waybill_id": claims["waybill_id"], "fixes": [fix]},
                headers=dict(driver, **{"Idempotency-Key": uuid.uuid4().hex}),
                timeout=30,
            ),
        )
    )
    steps.append(
        _step(
            log,
            "QR scan",
            devices["qr_scanner"].post("/api/gate/qr-scans", {"token": gate_pass.json()["token"], "lane": lane}),
        )
    )
    steps.append(
        _step(
            log,
            "ANPR read (entry)",
            devices["camera"].post("/api/gate/sightings", _vzenith(truck.plate, lane, direction="in")),
        )
    )
    bridge = devices["weighbridge"]
    steps.append(
        _step(
            log,
            "tare weighing",
            bridge.post(
                "/api/gate/weighings", {"kg": truck.tare_kg, "stable": True, "axles": truck.axles, "plate": truck.plate}
            ),
        )
    )
    steps.append(
        _step(
            log,
            "gross weighing",
            bridge.post(
                "/api/gate/weighings",
                {"kg": truck.tare_kg + truck.load_kg, "stable": True, "axles": truck.axles, "plate": truck.plate},
            ),
        )
    )
    steps.append(
        _step(
            log,
            "ANPR read (exit)",
            devices["camera"].post("/api/gate/sightings", _vzenith(truck.plate, lane, direction="out")),
        )
    )
    return steps


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--booking", default=Truck.booking_id, help="the driver's booking whose pass is scanned")
    parser.add_argument("--plate", default=Truck.plate)
    parser.add_argument("--driver-phone", default=Truck.driver_phone)
    parser.add_argument("--tare-kg", type=int, default=Truck.tare_kg)
    parser.add_argument("--load-kg", type=int, default=Truck.load_kg)
    parser.add_argument("--mine", default=Truck.mine_id)
    args = parser.parse_args(argv)
    truck = Truck(
        booking_id=args.booking,
        plate=args.plate,
        driver_phone=args.driver_phone,
        tare_kg=args.tare_kg,
        load_kg=args.load_kg,
        mine_id=args.mine,
    )
    steps = play_gate_flow(args.base_url.rstrip("/"), master_key_from_secrets(), truck)
    return 0 if all(s["status"] < 400 for s in steps) else 1


if __name__ == "__main__":
    sys.exit(main())

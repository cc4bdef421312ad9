"""Gate test helpers: devices that sign, called waybills, GPS fixes and fake gate passes."""

import json
import uuid

from flask import current_app

from backend.appointments.booking.models import Booking
from backend.appointments.gate_pass import service as gate_pass
from backend.appointments.windows.models import Slot
from backend.appointments.windows.planning import slot_id
from backend.common.clock import now_ms, shanghai_date
from backend.devices import service as devices_service
from backend.devices.signing import signed_headers
from backend.seed.geo import offset
from backend.tracking import store as tracking_store
from backend.waybills import store as waybills_store
from backend.waybills.models import Waybill
from tests.builders import make_org, make_user, make_vehicle, random_ref

HLL_GATE = (110.3302, 38.9326)


class SignedDevice:
    """A registered gate device that signs its own requests."""

    def __init__(self, kind, mine_id="mine_hll"):
        self.device, self.key = devices_service.register_device(
            kind=kind,
            name=f"test {kind}",
            mine_id=mine_id,
            master_key=current_app.config["DEVICE_MASTER_KEY"],
            now_ms=now_ms(),
        )

    def post(self, client, path, body, *, key=None):
        raw = json.dumps(body, ensure_ascii=False).encode()
        headers = signed_headers(self.device.device_id, key or self.key, "POST", path, raw, now_ms())
        return client.post(path, data=raw, headers=headers, content_type="application/json")


class Gate:
    """A mine gate's three devices."""

    def __init__(self, mine_id="mine_hll"):
        self.mine_id = mine_id
        self.camera = SignedDevice("camera", mine_id)
        self.scanner = SignedDevice("qr_scanner", mine_id)
        self.bridge = SignedDevice("weighbridge", mine_id)
        self.lane = uuid.uuid4().hex[:8]  # a lane of its own, so tests never pair with each other

    def read(self, client, plate, **extra):
        body = {"plate": plate, "plate_color": "yellow", "confidence": 95, "lane": self.lane, **extra}
        return self.camera.post(client, "/api/gate/sightings", body)

    def scan(self, client, waybill):
        return self.scanner.post(client, "/api/gate/qr-scans", {"token": pass_token(waybill), "lane": self.lane})

    def weigh(self, client, waybill, kg, *, stable=True, axles=None):
        body = {"kg": kg, "stable": stable, "waybill_id": waybill.waybill_id}
        if axles:
            body["axles"] = axles
        return self.bridge.post(client, "/api/gate/weighings", body)


def pass_token(waybill):
    """A genuine gate pass for the waybill, signed as the appointments domain signs them."""
    return gate_pass.sign(
        {
            "waybill_id": waybill.waybill_id,
            "vehicle_id": waybill.vehicle_id,
            "plate": waybill.plate,
            "slot_id": waybill.slot_id,
            "mine_id": waybill.mine_id,
            "exp": now_ms() + 600_000,
        }
    )


class Truck:
    """A carrier's registered truck, its driver, and a waybill at a mine."""

    def __init__(self, **vehicle_fields):
        self.carrier = make_org("carrier")
        self.driver = make_user("driver", org_id=self.carrier.org_id)
        self.vehicle = make_vehicle(self.carrier.org_id, **vehicle_fields)
        self.plate = self.vehicle.plate

    def waybill(self, *, state="called", mine_id="mine_hll", tonnage_kg=34000, shipper=None, buyer=None):
        """A waybill in `state` with an active booking at the same stage (what admit checks)."""
        at, waybill_id, booking_id = now_ms(), random_ref("wb"), random_ref("bk")
        start = at - 1_800_000  # to the millisecond, so it never lands on a demo window's start
        Slot(
            mine_id,
            start,
            end_ms=at + 1_800_000,
            date=shanghai_date(start),
            capacity=10,
            booked=1,
            status="open",
            created_at=at,
            updated_at=at,
        ).save()  # the window keeps the queue's counters
        Booking(
            booking_id,
            waybill_id=waybill_id,
            driver_id=self.driver.user_id,
            vehicle_id=self.vehicle.vehicle_id,
            plate=self.plate,
            mine_id=mine_id,
            slot_id=slot_id(mine_id, start),
            slot_start_ms=start,
            slot_end_ms=at + 1_800_000,
            status="active",
            stage=state if state != "booked" else "booked",
            checked_in_at=at - 600_000,
            called_at=at - 60_000,
            created_at=at,
            updated_at=at,
        ).save()
        return waybills_store.create(
            Waybill(
                waybill_id,
                state=state,
                mine_id=mine_id,
                product_id="raw",
                tonnage_kg=tonnage_kg,
                booking_id=booking_id,
                slot_id=None,
                carrier_id=self.carrier.org_id,
                driver_id=self.driver.user_id,
                vehicle_id=self.vehicle.vehicle_id,
                plate=self.plate,
                shipper_id=shipper.org_id if shipper else None,
                buyer_id=buyer.user_id if buyer else None,
                created_at=at,
                updated_at=at,
            )
        )

    def fix(self, *, east_m=0, north_m=0, ago_s=30, around=HLL_GATE):
        """Store a GPS fix of the truck's terminal (through the tracking store)."""
        lon, lat = offset(around[0], around[1], east_m, north_m)
        tracking_store.write_fixes(
            [
                {
                    "vehicle_id": self.vehicle.vehicle_id,
                    "at_ms": now_ms() - ago_s * 1000,
                    "lon": lon,
                    "lat": lat,
                    "source": "terminal",
                }
            ],
            retention_days=7,
        )


def state_of(waybill):
    return waybills_store.get(waybill.waybill_id).state

"""A small hauling world per test: shipper, carrier, driver, buyer, vehicle and a waybill in a chosen state."""

import json
import uuid

import pytest

from backend.common.clock import now_ms
from backend.devices import service as devices_service
from backend.devices.signing import signed_headers
from backend.seed.geo import rectangle
from backend.waybills import store as waybill_store
from backend.waybills.models import Waybill
from tests.builders import make_org, make_user, make_vehicle, random_ref

MINE_GATE = (110.3302, 38.9326)  # mine_hll in the demo data
SITE = (110.4990, 38.8420)  # a brickworks near Shenmu, ~18 km south-east


def destination():
    return {
        "address": "神木市测试砖厂",
        "point": {"type": "Point", "coordinates": list(SITE)},
        "polygon": rectangle(SITE[0], SITE[1], 600, 400),
    }


def make_waybill(*, state="in_transit", net_kg=34000, **overrides):
    """A waybill already at `state`, with its parties created fresh."""
    shipper_org, carrier_org = make_org("shipper"), make_org("carrier")
    driver = make_user("driver", org_id=carrier_org.org_id)
    buyer = make_user("buyer")
    vehicle = make_vehicle(carrier_org.org_id)
    t = now_ms()
    fields = dict(
        state=state,
        mine_id="mine_hll",
        product_id="raw",
        tonnage_kg=34000,
        shipper_id=shipper_org.org_id,
        buyer_id=buyer.user_id,
        carrier_id=carrier_org.org_id,
        driver_id=driver.user_id,
        vehicle_id=vehicle.vehicle_id,
        plate=vehicle.plate,
        destination=destination(),
        tare_kg=15000,
        gross_kg=15000 + net_kg,
        net_kg=net_kg,
        created_at=t,
        updated_at=t,
    )
    fields.update(overrides)
    waybill = waybill_store.create(Waybill(random_ref("wb"), **fields))
    return {
        "waybill": waybill,
        "driver": driver,
        "buyer": buyer,
        "vehicle": vehicle,
        "shipper_org": shipper_org,
        "carrier_org": carrier_org,
    }


def fix(lon, lat, at_ms, **extra):
    return dict(lon=lon, lat=lat, at_ms=at_ms, **extra)


def towards(start, end, fraction):
    return (start[0] + (end[0] - start[0]) * fraction, start[1] + (end[1] - start[1]) * fraction)


@pytest.fixture
def world(app):
    return make_waybill()


@pytest.fixture
def gateway(app):
    """A registered gps_gateway device and a function that posts signed JSON as it."""
    device, key = devices_service.register_device(
        kind="gps_gateway", name="traccar", mine_id=None, master_key=app.config["DEVICE_MASTER_KEY"], now_ms=now_ms()
    )

    def post(client, path, payload):
        body = json.dumps(payload).encode()
        headers = signed_headers(device.device_id, key, "POST", path, body, now_ms())
        headers["Content-Type"] = "application/json"
        headers["X-Nonce"] = uuid.uuid4().hex
        return client.post(path, data=body, headers=headers)

    return post

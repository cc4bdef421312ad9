"""Builders for appointment tests: a fresh mine with fences, windows, and assigned waybills (random ids)."""

from backend.appointments.windows.models import Slot
from backend.appointments.windows.planning import slot_id
from backend.catalogue.models import Mine
from backend.common.clock import now_ms, shanghai_date
from backend.geofences import service as geofences
from backend.seed.geo import offset, rectangle
from backend.waybills import store as waybill_store
from backend.waybills.models import Waybill
from tests.builders import Actor, make_user, make_vehicle, random_ref

HOUR = 3_600_000
GATE = (110.3302, 38.9326)


class Admin:
    user_id, role, org_id, mine_id = "u_test_admin", "admin", None, None


def make_mine(*, lanes=2, per_hour=6, drive_minutes=6):
    """A mine of its own (so queues never mix between tests), with gate and parking fences."""
    mine_id = random_ref("mine")
    lon, lat = GATE
    park = offset(lon, lat, -1500, -900)
    mine = Mine(
        mine_id,
        name="测试煤矿",
        name_en="Test mine",
        location={"type": "Point", "coordinates": [lon, lat]},
        gate_fence=rectangle(lon, lat, 400, 250),
        parking_fence=rectangle(*park, 300, 200),
        avg_truck_load_kg=34000,
        loading_lanes=lanes,
        trucks_per_lane_hour=per_hour,
        parking_drive_minutes=drive_minutes,
        created_at=now_ms(),
        updated_at=now_ms(),
    )
    mine.save()
    geofences.create(
        principal=Admin, kind="gate", name="门岗", mine_id=mine_id, geometry=mine.gate_fence, now_ms=now_ms()
    )
    geofences.create(
        principal=Admin, kind="parking", name="停车场", mine_id=mine_id, geometry=mine.parking_fence, now_ms=now_ms()
    )
    return mine


def make_slot(mine_id, *, start_ms=None, minutes=60, capacity=10, booked=0):
    start = start_ms or now_ms() + 2 * HOUR
    start -= start % 60_000
    Slot(
        mine_id,
        start,
        end_ms=start + minutes * 60_000,
        date=shanghai_date(start),
        capacity=capacity,
        booked=booked,
        status="open",
        created_at=now_ms(),
        updated_at=now_ms(),
    ).save()
    return slot_id(mine_id, start)


def make_waybill(mine_id, *, driver_id=None, vehicle_id=None, plate=None, state="assigned"):
    """A waybill already assigned to a driver and vehicle (as dispatch would leave it)."""
    waybill = Waybill(
        random_ref("wb"),
        state=state,
        mine_id=mine_id,
        product_id="raw",
        tonnage_kg=34000,
        driver_id=driver_id or random_ref("u"),
        vehicle_id=vehicle_id or random_ref("veh"),
        plate=plate,
        created_at=now_ms(),
        updated_at=now_ms(),
    )
    return waybill_store.create(waybill)


class Crew:
    """A real driver user with a real vehicle and an assigned waybill at a mine."""

    def __init__(self, mine_id):
        carrier = random_ref("org")
        self.user = make_user("driver", org_id=carrier)
        self.actor = Actor(self.user)
        self.vehicle = make_vehicle(carrier)
        self.waybill = make_waybill(
            mine_id, driver_id=self.user.user_id, vehicle_id=self.vehicle.vehicle_id, plate=self.vehicle.plate
        )


def gate_actor(mine_id):
    return Actor(make_user("gate", mine_id=mine_id))

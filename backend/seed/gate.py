"""Demo gate: each mine's camera, QR scanner and weighbridge (deterministic key salts, so the demo
simulator can sign), a called truck ready for the gate, and a cloned-plate sighting held with evidence."""

from backend.appointments.booking.models import Booking
from backend.appointments.windows.planning import slot_id
from backend.devices import store as devices_store
from backend.devices.models import Device
from backend.gate import service as gate_service
from backend.seed import demo_data as data
from backend.seed.geo import offset
from backend.tracking import store as tracking_store
from backend.waybills import store as waybills_store
from backend.waybills.models import Waybill

DEVICE_KINDS = ("camera", "qr_scanner", "weighbridge")
# (waybill, booking, vehicle, driver, plate, carrier): the simulator's truck and the clone's victim.
READY = ("wb_demo_gate", "bk_demo_gate", "veh_sd_1", "u_drv_1", "陕K3A612", "org_car_sd")
CLONED = ("wb_demo_clone", "bk_demo_clone", "veh_jx_2", "u_drv_4", "陕K12356", "org_car_jx")
# Where the cloned plate's registered truck really is: near Dongsheng (Ordos), ~100 km north-east.
CLONE_VICTIM_AT = (109.99, 39.82)


def demo_device_id(mine_id, kind):
    return f"dev_{mine_id.removeprefix('mine_')}_{kind}"


def demo_salt(mine_id, kind):
    """Fixed so a simulator holding DEVICE_MASTER_KEY can derive the demo device's key."""
    return f"demo-{mine_id}-{kind}"


def _devices(now_ms):
    for mine in data.MINES:
        for kind in DEVICE_KINDS:
            device_id = demo_device_id(mine["mine_id"], kind)
            if devices_store.get_device(device_id) is None:
                devices_store.save_device(
                    Device(
                        device_id,
                        kind=kind,
                        mine_id=mine["mine_id"],
                        name=f"{mine['name']} {kind}",
                        key_salt=demo_salt(mine["mine_id"], kind),
                        created_at=now_ms,
                    )
                )


def _called_truck(spec, now_ms, *, mine_id="mine_hll"):
    """A called waybill with its active, called booking (what release control checks)."""
    waybill_id, booking_id, vehicle_id, driver_id, plate, carrier_id = spec
    Booking(
        booking_id,
        waybill_id=waybill_id,
        driver_id=driver_id,
        vehicle_id=vehicle_id,
        plate=plate,
        mine_id=mine_id,
        slot_id=slot_id(mine_id, now_ms - 1_800_000),
        slot_start_ms=now_ms - 1_800_000,
        slot_end_ms=now_ms + 5_400_000,
        status="active",
        stage="called",
        queue_mine_id=mine_id,  # the sparse keys of an active booking: the gate's queue board lists it
        active_vehicle_id=vehicle_id,
        checked_in_at=now_ms - 1_200_000,
        called_at=now_ms - 120_000,
        created_at=now_ms,
        updated_at=now_ms,
    ).save()
    waybills_store.create(
        Waybill(
            waybill_id,
            state="called",
            mine_id=mine_id,
            product_id="raw",
            tonnage_kg=33000,
            shipper_id="org_shp_yl",
            buyer_id="u_buy_1",
            carrier_id=carrier_id,
            driver_id=driver_id,
            vehicle_id=vehicle_id,
            plate=plate,
            booking_id=booking_id,
            created_at=now_ms,
            updated_at=now_ms,
        )
    )


def _fix(vehicle_id, lonlat, at_ms):
    tracking_store.write_fixes(
        [{"vehicle_id": vehicle_id, "at_ms": at_ms, "lon": lonlat[0], "lat": lonlat[1], "source": "terminal"}],
        retention_days=30,
    )


def _clone_scenario(now_ms):
    """The clone reaches 红柳林 while the registered 陕K12356 reports from Ordos: scored, held, alert open."""
    if waybills_store.get(CLONED[0]) is not None:
        return
    _called_truck(CLONED, now_ms)
    _fix(CLONED[2], CLONE_VICTIM_AT, now_ms - 6 * 60_000)
    camera = devices_store.get_device(demo_device_id("mine_hll", "camera"))
    read = {
        "plate": CLONED[4],
        "plate_color": "yellow",
        "confidence": 96.0,
        "vehicle_color": "red",
        "vehicle_type": "heavy_semitrailer_tractor",
        "at": now_ms,
        "image_ref": None,
        "lane": "demo",
        "direction": "in",
        "source": "json",
    }
    gate_service.record_sighting(read=read, device=camera, now_ms=now_ms)


def load_gate(now_ms):
    """Demo gate devices, a truck ready for the gate and the cloned-plate scenario."""
    _devices(now_ms)
    if waybills_store.get(READY[0]) is None:
        _called_truck(READY, now_ms)
        _fix(READY[2], offset(110.3302, 38.9326, -300, -200), now_ms - 60_000)
    _clone_scenario(now_ms)

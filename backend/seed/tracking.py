"""A demo trip: coal from Hongliulin on its way to a brickworks near Shenmu, tracked, with a fenced destination."""

import math

from backend.seed.geo import rectangle
from backend.tracking import ingest, settings, store
from backend.waybills import service as waybills
from backend.waybills import store as waybill_store
from backend.waybills.models import Waybill

WAYBILL_ID = "wb_demo_trip"
MINE_GATE = (110.3302, 38.9326)
SITE = (110.4990, 38.8420)  # 神木兴旺砖厂 (u_buy_1)
TRIP_MINUTES = 40
SHARE_DRIVEN = 0.6
VEHICLE = {"vehicle_id": "veh_sd_1", "plate": "陕K3A612", "carrier_id": "org_car_sd"}


def _track(now_ms):
    """Fixes every minute along a gently curving road, 60 % of the way, ending a minute ago."""
    start = now_ms - (TRIP_MINUTES + 1) * 60_000
    fixes = []
    for i in range(TRIP_MINUTES + 1):
        share = SHARE_DRIVEN * i / TRIP_MINUTES
        bend = 0.01 * math.sin(share * math.pi)  # ~1 km off the straight line: a road, not a ruler
        fixes.append(
            {
                "lon": MINE_GATE[0] + (SITE[0] - MINE_GATE[0]) * share - bend,
                "lat": MINE_GATE[1] + (SITE[1] - MINE_GATE[1]) * share - bend,
                "at_ms": start + i * 60_000,
                "speed_kmh": 0.0 if i == 0 else 48.0,
                "accuracy_m": 8.0,
            }
        )
    return fixes


def _restore_track(now_ms):
    """A kept local store from before fixes were packed per minute: the demo trip gets a track again."""
    if store.last_fix_before(VEHICLE["vehicle_id"], at_ms=now_ms) is not None:
        return
    fixes = [dict(f, vehicle_id=VEHICLE["vehicle_id"], source="phone") for f in _track(now_ms)]
    store.write_fixes(fixes, retention_days=settings.get("TRACK_RETENTION_DAYS"))


def load_tracking(now_ms):
    """Create the released waybill, depart it, and feed its track (only the track when the waybill is there)."""
    if waybill_store.get(WAYBILL_ID) is not None:
        _restore_track(now_ms)
        return
    destination = {
        "address": "陕西省榆林市神木市 兴旺砖厂",
        "point": {"type": "Point", "coordinates": list(SITE)},
        "polygon": rectangle(SITE[0], SITE[1], 600, 400),
    }
    waybill_store.create(
        Waybill(
            WAYBILL_ID,
            state="released",
            mine_id="mine_hll",
            product_id="raw",
            tonnage_kg=34000,
            price_fen_per_t=62000,
            freight_fen_per_t=4500,
            shipper_id="org_shp_yl",
            buyer_id="u_buy_1",
            carrier_id="org_car_sd",
            driver_id="u_drv_1",
            vehicle_id="veh_sd_1",
            plate="陕K3A612",
            destination=destination,
            tare_kg=15200,
            gross_kg=49180,
            net_kg=33980,
            created_at=now_ms - 3 * 3600_000,
            updated_at=now_ms - 3600_000,
        )
    )
    fixes = _track(now_ms)
    waybill = waybill_store.get(WAYBILL_ID)
    result = ingest.ingest(
        vehicle=VEHICLE, raw_fixes=fixes, source="phone", driver_id="u_drv_1", waybill=waybill, now_ms=now_ms
    )
    if result["state"] != "in_transit":  # the geofence should have departed it; never leave the demo half-done
        waybills.transition(waybill_id=WAYBILL_ID, action="depart", actor=waybills.SystemActor("seed"), now_ms=now_ms)

"""Accepting fixes: validate, store them packed per vehicle-minute (replays drop out), drive trip and consumers."""

from backend.common.errors import ApiError
from backend.tracking import consumers, settings, store, trip_runner
from backend.tracking.geohash import encode
from backend.tracking.models import Position
from backend.tracking.validation import validate_batch

MAX_FIXES = 500
LIVE_STATES = ("released", "in_transit", "arrived")


def _unique_by_time(fixes):
    seen, unique = set(), []
    for fix in sorted(fixes, key=lambda f: f["at_ms"]):
        if fix["at_ms"] not in seen:
            seen.add(fix["at_ms"])
            unique.append(fix)
    return unique


def _rejected_list(errors):
    by_index = {}
    for name, messages in errors.items():
        _, index, field = name.split(".", 2)
        by_index.setdefault(int(index), {})[field] = messages
    return [{"index": i, "fields": fields} for i, fields in sorted(by_index.items())]


def _update_position(vehicle, position, newest, waybill, now_ms):
    """Keep the newest fix as the vehicle's latest position; on a trip it also shows on the live map."""
    if position and position.at_ms >= newest["at_ms"]:
        return  # late fixes fill the track but do not move the truck on the map
    on_trip = waybill is not None and waybill.state in LIVE_STATES
    new = Position(
        vehicle["vehicle_id"],
        at_ms=newest["at_ms"],
        lon=newest["lon"],
        lat=newest["lat"],
        speed_kmh=newest.get("speed_kmh"),
        plate=vehicle.get("plate"),
        waybill_id=waybill.waybill_id if on_trip else None,
        resolved_at=now_ms,
        cell=encode(newest["lon"], newest["lat"], store.LIVE_CELL_PRECISION) if on_trip else None,
    )
    store.save_position(position, new)


def ingest(*, vehicle, raw_fixes, source, now_ms, driver_id=None, waybill=None):
    """Store a batch of fixes for one vehicle; returns counts, per-fix rejections and the trip's state.

    `vehicle` is {"vehicle_id", "plate", "carrier_id"}; `waybill` the trip if the caller knows it.
    """
    if len(raw_fixes) > MAX_FIXES:
        raise ApiError(
            "validation_error",
            f"at most {MAX_FIXES} fixes a request",
            details={"fields": {"fixes": [f"at most {MAX_FIXES}"]}},
            status=413,
        )
    good, errors = validate_batch(raw_fixes, now_ms)
    if errors and not good:
        raise ApiError("validation_error", "no valid fix in the batch", details={"fields": errors})
    vehicle_id = vehicle["vehicle_id"]
    position = store.get_position(vehicle_id)
    # The packed write reports which fixes were already stored: replays drop out with no read before it.
    fresh = store.write_fixes(
        [dict(f, vehicle_id=vehicle_id, source=source) for f in _unique_by_time(good)],
        retention_days=settings.get("TRACK_RETENTION_DAYS"),
        newest_stored_ms=position.at_ms if position else -1,
    )
    waybill = waybill or trip_runner.resolve_waybill(
        vehicle=vehicle, driver_id=driver_id, position=position, now_ms=now_ms
    )
    trip = None
    if waybill is not None and fresh:
        waybill, trip = trip_runner.advance(waybill=waybill, fixes=fresh, now_ms=now_ms)
    consumers.publish(
        fresh, vehicle_id=vehicle_id, driver_id=driver_id or (waybill and waybill.driver_id), now_ms=now_ms
    )
    if fresh:
        _update_position(vehicle, position, fresh[-1], waybill, now_ms)
    return {
        "accepted": len(fresh),
        "duplicates": len(good) - len(fresh),
        "rejected": _rejected_list(errors),
        "waybill_id": waybill.waybill_id if waybill else None,
        "state": waybill.state if waybill else None,
        "eta_ms": trip.eta_ms if trip else None,
    }

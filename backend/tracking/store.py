"""Tracking's DynamoDB access: batch fix writes, the latest position with live-map cell counts, trips."""
from datetime import datetime, timezone

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError

from backend import db
from backend.tracking.models import CellCount, Fix, Position, Trip
from backend.waybills.models import Waybill

COUNT_PRECISIONS = (2, 3, 4)  # cluster levels of the zoomed-out map
LIVE_CELL_PRECISION = 4  # ~39 km x 19 km: the live map's partition key
TRIP_STATES = ("released", "in_transit", "arrived")


def _condition_failed(error):
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def existing_fix_times(vehicle_id, times):
    """Which of these fix times are already stored for the vehicle (BatchGet, 100 keys a call)."""
    found = set()
    for item in Fix.batch_get([(vehicle_id, t) for t in times], attributes_to_get=["vehicle_id", "at_ms"]):
        found.add(int(item.at_ms))
    return found


def write_fixes(fixes, *, retention_days):
    """BatchWrite fixes; PynamoDB resends UnprocessedItems with backoff and raises if they never land."""
    with Fix.batch_write() as batch:
        for f in fixes:
            expires = datetime.fromtimestamp(f["at_ms"] / 1000 + retention_days * 86400, tz=timezone.utc)
            batch.save(Fix(f["vehicle_id"], f["at_ms"], lon=f["lon"], lat=f["lat"], speed_kmh=f.get("speed_kmh"),
                           course=f.get("course"), accuracy_m=f.get("accuracy_m"), source=f["source"],
                           expires_at=expires))


def track(vehicle_id, *, since_ms, until_ms, limit=5000):
    """A vehicle's fixes in a time window, oldest first."""
    return list(Fix.query(vehicle_id, Fix.at_ms.between(since_ms, until_ms), limit=limit))


def get_position(vehicle_id):
    try:
        return Position.get(vehicle_id, consistent_read=True)
    except DoesNotExist:
        return None


def _count_ops(cell, delta, point):
    ops = []
    for precision in COUNT_PRECISIONS:
        key = f"{precision}:{cell[:precision]}"
        actions = [CellCount.vehicles.add(delta), CellCount.sum_lon.add(delta * point[0]),
                   CellCount.sum_lat.add(delta * point[1])]
        ops.append((key, actions))
    return ops


def save_position(old, new):
    """Move a vehicle's latest position forward (never back); keep cell counts in step when its cell changes.

    Returns False when a newer fix was stored meanwhile.
    """
    newer = Position.at_ms.does_not_exist() | (Position.at_ms < new.at_ms)
    old_cell = old.cell if old else None
    if old_cell == new.cell:
        try:
            new.save(condition=newer)
        except PutError as error:
            if _condition_failed(error):
                return False
            raise
        return True
    ops = []
    if old_cell:
        ops += _count_ops(old_cell, -1, [old.lon, old.lat])
    if new.cell:
        ops += _count_ops(new.cell, 1, [new.lon, new.lat])
    merged = {}
    for key, actions in ops:  # a transaction may touch each item once: net out shared prefixes
        merged.setdefault(key, []).append(actions)
    try:
        with db.transaction() as tx:
            tx.save(new, condition=newer)
            for key, action_lists in merged.items():
                if len(action_lists) == 2:
                    continue  # left and entered the same coarse cell: its count is unchanged
                tx.update(CellCount(key), actions=action_lists[0])
    except TransactWriteError as error:
        reasons = getattr(error, "cancellation_reasons", None) or []
        if reasons and getattr(reasons[0], "code", None) == "ConditionalCheckFailed":
            return False
        raise
    return True


def positions_in_cell(cell):
    """Vehicles on a trip whose latest position lies in a live-map cell."""
    return list(Position.by_cell.query(cell))


def cell_counts(keys):
    """CellCount records for keys like "3:wqy" (BatchGet)."""
    return [c for c in CellCount.batch_get(keys) if c.vehicles and c.vehicles > 0]


def get_trip(waybill_id):
    try:
        return Trip.get(waybill_id, consistent_read=True)
    except DoesNotExist:
        return None


def create_trip(trip):
    """Insert a trip once; a concurrent creator's record wins."""
    try:
        trip.save(condition=Trip.waybill_id.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            return get_trip(trip.waybill_id)
        raise
    return trip


def save_trip(trip):
    trip.save()
    return trip


def set_trip_route(waybill_id, route):
    try:
        Trip(waybill_id).update(actions=[Trip.route.set(route)], condition=Trip.waybill_id.exists())
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def active_waybill_for_driver(driver_id, vehicle_id=None):
    """The driver's waybill that is on the road (released, in transit or arrived), newest first."""
    condition = Waybill.state.is_in(*TRIP_STATES)
    if vehicle_id:
        condition &= Waybill.vehicle_id == vehicle_id
    for waybill in Waybill.by_driver.query(driver_id, filter_condition=condition, scan_index_forward=False,
                                           page_size=50, limit=1):
        return waybill
    return None


def active_waybill_for_vehicle(vehicle_id, *, since_ms):
    """The vehicle's newest waybill on the road touched since `since_ms` (Query by_vehicle, a few items)."""
    results = Waybill.by_vehicle.query(vehicle_id, Waybill.updated_at >= since_ms,
                                       filter_condition=Waybill.state.is_in(*TRIP_STATES),
                                       scan_index_forward=False, page_size=50, limit=1)
    for waybill in results:
        return waybill
    return None


def clear_trip_from_position(old, new):
    """Drop the trip (and the live-map cell) from a position unless a newer fix moved it meanwhile."""
    same = Position.at_ms == old.at_ms
    if not old.cell:
        try:
            new.save(condition=same)
        except PutError as error:
            if not _condition_failed(error):
                raise
        return
    try:
        with db.transaction() as tx:
            tx.save(new, condition=same)
            for key, actions in _count_ops(old.cell, -1, [old.lon, old.lat]):
                tx.update(CellCount(key), actions=actions)
    except TransactWriteError:
        pass  # a newer fix arrived: the next batch re-resolves the (ended) trip

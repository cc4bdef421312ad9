"""Tracking's DynamoDB access: fixes packed per vehicle-minute, the latest position with live-map cell counts, trips."""

from datetime import UTC, datetime

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError

from backend import db
from backend.tracking.models import CellCount, FixMinute, Position, Trip
from backend.tracking.packing import BUCKET_MS, minute_of, pack, unpack

COUNT_PRECISIONS = (2, 3, 4)  # cluster levels of the zoomed-out map
LIVE_CELL_PRECISION = 4  # ~39 km x 19 km: the live map's partition key
TRIP_STATES = ("released", "in_transit", "arrived")
VEHICLE_CANDIDATES = 3
FIXES_PER_UPDATE = 50  # keeps an UpdateExpression well under DynamoDB's 4 KB limit


def _condition_failed(error):
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def _expiry(minute_ms, retention_days):
    return datetime.fromtimestamp((minute_ms + BUCKET_MS) / 1000 + retention_days * 86400, tz=UTC)


def _put_new(item, condition):
    """Save an item only if the condition holds; False when it did not (another writer got there first)."""
    try:
        item.save(condition=condition)
    except PutError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def _create_minute(vehicle_id, minute_ms, entries, expires):
    """Put a new minute item holding all entries; False if another writer created it first."""
    return _put_new(
        FixMinute(vehicle_id, minute_ms, fixes=entries, expires_at=expires), FixMinute.vehicle_id.does_not_exist()
    )


def _append_to_minute(vehicle_id, minute_ms, entries):
    """Add entries to an existing minute item; the keys that were new there, or None if the item is missing.

    Each entry is `SET fixes.<at_ms> = if_not_exists(...)`: a replayed fix keeps its first value and
    concurrent writers never overwrite each other (UpdateItem applies atomically to the item it finds).
    UPDATED_OLD returns what those keys held before, so the write itself tells replays apart.
    """
    connection = FixMinute._get_connection()
    new = []
    keys = list(entries)
    for i in range(0, len(keys), FIXES_PER_UPDATE):
        chunk = keys[i : i + FIXES_PER_UPDATE]
        actions = [FixMinute.fixes[k].set(FixMinute.fixes[k] | entries[k]) for k in chunk]
        try:
            reply = connection.update_item(
                vehicle_id, minute_ms, actions=actions, condition=FixMinute.fixes.exists(), return_values="UPDATED_OLD"
            )
        except UpdateError as error:
            if _condition_failed(error) and i == 0:
                return None
            raise
        before = reply.get("Attributes", {}).get("fixes", {}).get("M", {})
        new += [k for k in chunk if k not in before]
    return new


def _store_minute(vehicle_id, minute_ms, entries, expires, *, likely_new):
    """Store one minute's entries; the keys that were not stored before. Usually one call.

    A minute after the vehicle's newest stored fix is tried as a conditional Put first, others as an
    append; whichever loses a race (a concurrent batch created or will create the item) tries the other.
    """
    if likely_new and _create_minute(vehicle_id, minute_ms, entries, expires):
        return list(entries)
    while True:
        new = _append_to_minute(vehicle_id, minute_ms, entries)
        if new is not None:
            return new
        if _create_minute(vehicle_id, minute_ms, entries, expires):
            return list(entries)


def write_fixes(fixes, *, retention_days, newest_stored_ms=None):
    """Store fixes packed per vehicle-minute; returns those not stored before (replays drop out), oldest first.

    `newest_stored_ms` (the vehicle's latest position, if known) picks the likely-cheaper write per minute.
    """
    minutes = {}
    for fix in fixes:
        minutes.setdefault((fix["vehicle_id"], minute_of(fix["at_ms"])), {})[str(int(fix["at_ms"]))] = fix
    fresh = []
    for (vehicle_id, minute_ms), by_key in sorted(minutes.items()):
        likely_new = newest_stored_ms is not None and minute_ms > newest_stored_ms
        entries = {key: pack(fix) for key, fix in by_key.items()}
        fresh += [
            by_key[k]
            for k in _store_minute(
                vehicle_id, minute_ms, entries, _expiry(minute_ms, retention_days), likely_new=likely_new
            )
        ]
    return sorted(fresh, key=lambda f: f["at_ms"])


def _unpacked(item):
    entries = item.fixes.as_dict() if item.fixes is not None else {}
    return sorted((unpack(item.vehicle_id, k, v) for k, v in entries.items()), key=lambda f: f.at_ms)


def track(vehicle_id, *, since_ms, until_ms, limit=5000):
    """A vehicle's fixes in a time window, oldest first (one Query over its minute items)."""
    found = []
    for item in FixMinute.query(vehicle_id, FixMinute.minute_ms.between(minute_of(since_ms), minute_of(until_ms))):
        found += [f for f in _unpacked(item) if since_ms <= f.at_ms <= until_ms]
        if len(found) >= limit:
            break
    return found[:limit]


def last_fix_before(vehicle_id, *, at_ms):
    """The vehicle's latest fix taken at or before at_ms, or None: one Query of at most two minute items.

    The newest minute starting by at_ms may hold only later fixes; then the one before it holds the answer.
    """
    for item in FixMinute.query(
        vehicle_id, FixMinute.minute_ms <= at_ms, scan_index_forward=False, limit=2, page_size=2
    ):
        earlier = [f for f in _unpacked(item) if f.at_ms <= at_ms]
        if earlier:
            return earlier[-1]
    return None


def get_position(vehicle_id):
    try:
        return Position.get(vehicle_id, consistent_read=True)
    except DoesNotExist:
        return None


def _count_ops(cell, delta, point):
    ops = []
    for precision in COUNT_PRECISIONS:
        key = f"{precision}:{cell[:precision]}"
        actions = [
            CellCount.vehicles.add(delta),
            CellCount.sum_lon.add(delta * point[0]),
            CellCount.sum_lat.add(delta * point[1]),
        ]
        ops.append((key, actions))
    return ops


def save_position(old, new):
    """Move a vehicle's latest position forward (never back); keep cell counts in step when its cell changes.

    Returns False when a newer fix was stored meanwhile.
    """
    newer = Position.at_ms.does_not_exist() | (Position.at_ms < new.at_ms)
    old_cell = old.cell if old else None
    if old_cell == new.cell:
        return _put_new(new, newer)
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
    return trip if _put_new(trip, Trip.waybill_id.does_not_exist()) else get_trip(trip.waybill_id)


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


def clear_trip_from_position(old, new):
    """Drop the trip (and the live-map cell) from a position unless a newer fix moved it meanwhile."""
    same = Position.at_ms == old.at_ms
    if not old.cell:
        _put_new(new, same)
        return
    try:
        with db.transaction() as tx:
            tx.save(new, condition=same)
            for key, actions in _count_ops(old.cell, -1, [old.lon, old.lat]):
                tx.update(CellCount(key), actions=actions)
    except TransactWriteError:
        pass  # a newer fix arrived: the next batch re-resolves the (ended) trip

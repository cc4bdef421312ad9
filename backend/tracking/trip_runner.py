"""Finding the waybill a vehicle is hauling and applying its trip rules, with the waybill transitions they call for."""

import logging

from backend.catalogue import service as catalogue_service
from backend.common.errors import Conflict
from backend.tracking import store, trip_alerts, trips
from backend.tracking.models import Position, Trip
from backend.waybills import service as waybills

RESOLVE_EVERY_MS = 5 * 60 * 1000  # a terminal with no trip is looked up again at most this often
LOOKBACK_MS = 14 * 86400 * 1000
GEOFENCE = waybills.SystemActor("geofence")
log = logging.getLogger("coalhaul.tracking")


def resolve_waybill(*, vehicle, driver_id, position, now_ms):
    """The waybill on the road for this vehicle (or this driver), or None."""
    if position and position.waybill_id:
        waybill = waybills.find(position.waybill_id)
        if waybill is not None and waybill.state in store.TRIP_STATES:
            return waybill
    if driver_id:
        return on_road_for_driver(driver_id, vehicle["vehicle_id"])
    if (
        position
        and position.resolved_at
        and now_ms - position.resolved_at < RESOLVE_EVERY_MS
        and not position.waybill_id
    ):
        return None
    return on_road_for_vehicle(vehicle["vehicle_id"], since_ms=now_ms - LOOKBACK_MS)


def on_road_for_driver(driver_id, vehicle_id=None):
    """The driver's waybill on the road, through their one-active claim: two GetItems, whatever their history."""
    waybill = waybills.find_active_for_driver(driver_id)
    if waybill is None or waybill.state not in store.TRIP_STATES:
        return None
    if vehicle_id and waybill.vehicle_id != vehicle_id:
        return None
    return waybill


def on_road_for_vehicle(vehicle_id, *, since_ms):
    """The truck's waybill on the road touched since a time, or None: its newest few waybills, no filter.

    A truck may already carry its next load while still on the road, hence a few newest rather than
    one; the GetItem reads the whole waybill whatever the index projects.
    """
    for candidate in waybills.newest_for_vehicle(vehicle_id, since_ms=since_ms, limit=store.VEHICLE_CANDIDATES):
        if candidate.state is not None and candidate.state not in store.TRIP_STATES:
            continue
        waybill = waybills.find(candidate.waybill_id)
        if waybill is not None and waybill.state in store.TRIP_STATES and waybill.vehicle_id == vehicle_id:
            return waybill
    return None


def _mine_places(mine):
    return [f for f in (mine.gate_fence, mine.parking_fence) if f] if mine else []


def trip_for(waybill, now_ms):
    """The waybill's trip record, created at first sight from the mine's gate and any provided route."""
    trip = store.get_trip(waybill.waybill_id)
    if trip is not None:
        return trip
    mine = catalogue_service.find_mine(waybill.mine_id)
    origin = mine.location["coordinates"] if mine else trips.destination_point(waybill.destination)
    route = waybill.route
    return store.create_trip(
        Trip(
            waybill.waybill_id,
            vehicle_id=waybill.vehicle_id or "",
            started_at=now_ms,
            origin=origin,
            route=route,
            speeds=[],
            alerts=[],
        )
    )


def move(waybill, action, *, now_ms, at_ms, point, actor=GEOFENCE):
    """Apply depart/arrive; a waybill someone else already moved is left as it is."""
    try:
        return waybills.transition(
            waybill_id=waybill.waybill_id,
            action=action,
            actor=actor,
            now_ms=now_ms,
            where={"type": "Point", "coordinates": point},
            reason=f"geofence at {at_ms}" if actor is GEOFENCE else None,
        )
    except Conflict as error:
        log.info("%s on %s skipped: %s", action, waybill.waybill_id, error.code)
        return waybills.find(waybill.waybill_id)


def advance(*, waybill, fixes, now_ms):
    """Run the trip rules over new fixes in time order; returns the (possibly moved) waybill and the trip."""
    if not waybill.destination:
        return waybill, None
    trip = trip_for(waybill, now_ms)
    places = _mine_places(catalogue_service.find_mine(waybill.mine_id))
    for fix in fixes:
        if fix["at_ms"] <= trip.last_at:
            continue  # late fix: stored for the track, but the trip has moved past it
        actions, alerts = trips.step(trip, state=waybill.state, destination=waybill.destination, fix=fix, places=places)
        for action in actions:
            waybill = move(waybill, action, now_ms=now_ms, at_ms=fix["at_ms"], point=[fix["lon"], fix["lat"]])
        for detection in alerts:
            detection["alert_id"] = trip_alerts.raise_for(waybill, detection, now_ms=now_ms)
    if waybill.state not in store.TRIP_STATES and trip.ended_at is None:
        trip.ended_at = now_ms
    store.save_trip(trip)
    return waybill, trip


def end_trip(*, waybill, now_ms):
    """Take a finished trip's truck off the live map and close its trip record."""
    trip = store.get_trip(waybill.waybill_id)
    if trip is not None and trip.ended_at is None:
        trip.ended_at = now_ms
        store.save_trip(trip)
    position = store.get_position(waybill.vehicle_id) if waybill.vehicle_id else None
    if position is not None and position.waybill_id == waybill.waybill_id:
        off = Position(
            position.vehicle_id,
            at_ms=position.at_ms + 0,
            lon=position.lon,
            lat=position.lat,
            speed_kmh=position.speed_kmh,
            plate=position.plate,
            waybill_id=None,
            resolved_at=now_ms,
            cell=None,
        )
        store.clear_trip_from_position(position, off)

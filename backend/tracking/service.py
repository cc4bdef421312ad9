"""Tracking verbs for the routes: take fixes from phones and gateways, show trips, start and end them."""

from datetime import UTC, datetime

from backend.accounts import service as accounts_service
from backend.common.errors import ApiError, Conflict, Forbidden, NotFound, field_error
from backend.tracking import geometry, ingest, live, store, trip_runner, trips
from backend.waybills import service as waybills

KNOTS_TO_KMH = 1.852
MAX_TRACK_POINTS = 1000


def _vehicle_facts(vehicle_id):
    vehicle = accounts_service.find_vehicle(vehicle_id)
    if vehicle is None:
        return {"vehicle_id": vehicle_id, "plate": None, "carrier_id": None}
    return {"vehicle_id": vehicle.vehicle_id, "plate": vehicle.plate, "carrier_id": vehicle.carrier_id}


def _drivers_waybill(principal, waybill_id):
    waybill = waybills.get_visible(principal, waybill_id)
    if principal.role != "driver" or waybill.driver_id != principal.user_id:
        raise Forbidden("not_your_trip", "only the waybill's driver may do this")
    if not waybill.vehicle_id:
        raise Conflict("no_vehicle", "the waybill has no vehicle yet")
    return waybill


def ingest_from_driver(*, principal, fixes, now_ms, waybill_id=None):
    """A driver's phone batch: fixes for the vehicle of their waybill on the road."""
    if waybill_id:
        waybill = _drivers_waybill(principal, waybill_id)
    else:
        waybill = trip_runner.on_road_for_driver(principal.user_id)
        if waybill is None or not waybill.vehicle_id:
            raise Conflict("no_active_trip", "you have no waybill on the road")
    if waybill.state not in store.TRIP_STATES:
        waybill = None  # late fixes after delivery still fill the track but drive nothing
    vehicle_id = waybill.vehicle_id if waybill else waybills.get(waybill_id).vehicle_id
    return ingest.ingest(
        vehicle=_vehicle_facts(vehicle_id),
        raw_fixes=fixes,
        source="phone",
        driver_id=principal.user_id,
        waybill=waybill,
        now_ms=now_ms,
    )


def _fix_time_ms(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    try:
        return int(datetime.fromisoformat(str(value)).astimezone(UTC).timestamp() * 1000)
    except ValueError:
        raise field_error("position.fixTime", "an ISO 8601 time") from None


def traccar_fix(position):
    """Traccar's forwarded position as our fix: speed in knots, time as ISO 8601."""
    if not isinstance(position, dict):
        raise field_error("position", "required")
    if position.get("valid") is False:
        raise field_error("position.valid", "the terminal reported no GPS fix")
    speed = position.get("speed")
    accuracy = position.get("accuracy")
    return {
        "lon": position.get("longitude"),
        "lat": position.get("latitude"),
        "at_ms": _fix_time_ms(position.get("fixTime") or position.get("deviceTime")),
        "speed_kmh": round(speed * KNOTS_TO_KMH, 1) if isinstance(speed, (int, float)) else None,
        "course": position.get("course"),
        "accuracy_m": accuracy or None,
    }


def ingest_from_traccar(*, payload, now_ms):
    """One position forwarded by a Traccar server in front of Beidou / JT/T 808 terminals."""
    unique_id = ((payload or {}).get("device") or {}).get("uniqueId")
    if not unique_id:
        raise field_error("device.uniqueId", "required")
    vehicle = accounts_service.find_vehicle_by_terminal(str(unique_id))
    if vehicle is None:
        raise NotFound(
            "unknown_terminal",
            "no vehicle carries this terminal",
            details={"fields": {"device.uniqueId": ["unknown terminal"]}},
        )
    fix = traccar_fix(payload.get("position"))
    try:
        return ingest.ingest(
            vehicle=_vehicle_facts(vehicle.vehicle_id), raw_fixes=[fix], source="terminal", now_ms=now_ms
        )
    except ApiError as error:  # name the fields as Traccar sent them
        fields = error.details.get("fields", {})
        renamed = {"position." + k.split(".", 2)[2]: v for k, v in fields.items() if k.startswith("fixes.")}
        if renamed:
            error.details["fields"] = renamed
        raise


def _downsample(fixes, limit):
    if len(fixes) <= limit:
        return fixes
    step = len(fixes) / limit
    picked = [fixes[int(i * step)] for i in range(limit)]
    return picked[:-1] + [fixes[-1]]


def trip_view(*, principal, waybill_id, now_ms):
    """A waybill's trip for its parties: track, latest position, ETA, alerts, destination."""
    waybill = waybills.get_visible(principal, waybill_id)
    trip = store.get_trip(waybill_id)
    view = {
        "waybill_id": waybill_id,
        "state": waybill.state,
        "destination": waybill.destination,
        "plate": waybill.plate,
        "track": [],
        "position": None,
        "eta_ms": None,
        "remaining_m": None,
        "alerts": [],
        "origin": None,
        "route": None,
    }
    if trip is None:
        return view
    fixes = store.track(trip.vehicle_id, since_ms=trip.started_at - 3600_000, until_ms=trip.ended_at or now_ms + 60_000)
    view.update(
        track=[[f.lon, f.lat, int(f.at_ms)] for f in _downsample(fixes, MAX_TRACK_POINTS)],
        eta_ms=trip.eta_ms if waybill.state == "in_transit" else None,
        remaining_m=trip.remaining_m,
        alerts=trip.alerts,
        origin=trip.origin,
        route=trips.corridor(trip, waybill.destination) if waybill.destination else trip.route,
    )
    if trip.last_point:
        view["position"] = {"lon": trip.last_point[0], "lat": trip.last_point[1], "at_ms": trip.last_at}
    return view


def depart(*, principal, waybill_id, now_ms, point=None):
    """The driver presses 出发 (depart) after release."""
    waybill = _drivers_waybill(principal, waybill_id)
    where = {"type": "Point", "coordinates": point} if point else None
    moved = waybills.transition(
        waybill_id=waybill.waybill_id,
        action="depart",
        actor=principal,
        now_ms=now_ms,
        where=where,
        reason="driver pressed depart",
    )
    trip_runner.trip_for(moved, now_ms)
    return moved


def arrive(*, principal, waybill_id, point, now_ms):
    """The driver reports arrival; only inside the destination fence (outside, the receipt is flagged instead)."""
    waybill = _drivers_waybill(principal, waybill_id)
    if waybill.state == "arrived":
        return waybill  # the fence saw it first (queued fixes replayed before this tap): already done
    fence = (waybill.destination or {}).get("polygon")
    if fence and not geometry.in_polygon(fence, point):
        raise ApiError(
            "outside_fence",
            "you are not inside the destination yet",
            status=409,
            details={"fields": {"point": ["outside the destination fence"]}},
        )
    return waybills.transition(
        waybill_id=waybill.waybill_id,
        action="arrive",
        actor=principal,
        now_ms=now_ms,
        where={"type": "Point", "coordinates": point},
    )


def set_route(*, principal, waybill_id, route):
    """The expected route (a polyline) that the deviation corridor follows."""
    waybills.get_visible(principal, waybill_id)
    if not store.set_trip_route(waybill_id, route):
        raise Conflict("no_trip", "the waybill is not on the road yet")
    return {"waybill_id": waybill_id, "route": route}


def track_between(vehicle_id, *, since_ms, until_ms, limit=5000):
    """A vehicle's stored fixes in a time window, oldest first (the regulatory feed samples them); one Query."""
    return store.track(vehicle_id, since_ms=since_ms, until_ms=until_ms, limit=limit)


def last_fix_before(vehicle_id, *, at_ms):
    """A vehicle's latest stored fix taken at or before at_ms (.at_ms, .lon, .lat, ...), or None; one Query."""
    return store.last_fix_before(vehicle_id, at_ms=at_ms)


def live_map(*, bbox):
    return live.live_map(bbox=bbox)

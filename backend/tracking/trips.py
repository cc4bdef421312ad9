"""A trip's rules, fix by fix: depart, arrive, route deviation, long stops and the ETA (pure functions)."""

from backend.tracking import geometry, settings

SPEED_WINDOW_MS = 30 * 60 * 1000
MIN_KMH, MAX_KMH, DEFAULT_KMH = 15.0, 70.0, 45.0  # the ETA's bounds for a loaded coal truck
STOP_RADIUS_M = 200
MOVING_KMH = 3.0
KNOWN_PLACE_M = 1500  # a stop this near the mine or the site is queueing, not a problem


def destination_point(destination):
    """Where the ETA aims: the destination point, else the fence's centre."""
    if destination.get("point"):
        return destination["point"]["coordinates"]
    return geometry.polygon_centroid(destination["polygon"])


def corridor(trip, destination):
    """The expected route: the provided polyline, else the straight line from mine to site."""
    return trip.route or [trip.origin, destination_point(destination)]


def _speed_sample(trip, fix, point):
    if fix.get("speed_kmh") is not None:
        return fix["speed_kmh"]
    if trip.last_point and fix["at_ms"] > trip.last_at:
        return geometry.haversine_m(trip.last_point, point) / ((fix["at_ms"] - trip.last_at) / 3_600_000)
    return None


def recent_kmh(speeds, now):
    """Average of recent speed samples, bounded to what a coal truck does."""
    recent = [kmh for at, kmh in speeds if now - at <= SPEED_WINDOW_MS]
    if not recent:
        return DEFAULT_KMH
    return max(MIN_KMH, min(MAX_KMH, sum(recent) / len(recent)))


def remaining_m(trip, destination, point):
    """Distance left: along the provided route, else the straight line times a road factor."""
    target = destination_point(destination)
    if trip.route:
        off, along = geometry.project_on_line(trip.route, point)
        return off + max(0.0, geometry.line_length_m(trip.route) - along)
    # Roads wind: the straight line understates what is left to drive (the same factor as quotes and ETAs).
    return geometry.haversine_m(point, target) * settings.get("ROAD_FACTOR")


def _known_place(trip, destination, point, places):
    if destination.get("polygon") and geometry.in_polygon(destination["polygon"], point):
        return True
    near = [trip.origin, destination_point(destination)]
    if any(geometry.haversine_m(p, point) <= KNOWN_PLACE_M for p in near):
        return True
    return any(geometry.in_polygon(fence, point) for fence in places)


def _alert(trip, kind, since, fix, point, detail):
    if any(a["kind"] == kind and a["since"] == since for a in trip.alerts):
        return None  # one alert per episode
    alert = {"kind": kind, "since": since, "at_ms": fix["at_ms"], "point": point, "detail": detail}
    trip.alerts = (trip.alerts + [alert])[-50:]
    return alert


def _check_deviation(trip, destination, fix, point):
    off, _ = geometry.project_on_line(corridor(trip, destination), point)
    if off <= settings.get("TRACK_CORRIDOR_M"):
        trip.off_route_since = None
        return None
    trip.off_route_since = trip.off_route_since or fix["at_ms"]
    if fix["at_ms"] - trip.off_route_since < settings.get("TRACK_DEVIATION_MS"):
        return None
    return _alert(trip, "route_deviation", trip.off_route_since, fix, point, {"off_route_m": round(off)})


def _check_stop(trip, destination, fix, point, places):
    speed = fix.get("speed_kmh")
    moved = trip.stop_point is not None and geometry.haversine_m(trip.stop_point, point) > STOP_RADIUS_M
    if (speed is not None and speed > MOVING_KMH) or moved:
        trip.stop_since, trip.stop_point = None, None
        return None
    if trip.stop_since is None:
        trip.stop_since, trip.stop_point = fix["at_ms"], point
        return None
    stopped_ms = fix["at_ms"] - trip.stop_since
    if stopped_ms < settings.get("TRACK_LONG_STOP_MS") or _known_place(trip, destination, point, places):
        return None
    return _alert(trip, "long_stop", trip.stop_since, fix, point, {"stopped_min": stopped_ms // 60000})


def step(trip, *, state, destination, fix, places=()):
    """Advance a trip by one fix (newer than the last); returns (actions to take, new alerts)."""
    point = [fix["lon"], fix["lat"]]
    actions, alerts = [], []
    if (
        state == "released"
        and geometry.haversine_m(trip.origin, point) > settings.get("TRACK_DEPART_DISTANCE_M")
        and not any(geometry.in_polygon(fence, point) for fence in places)
    ):
        actions.append("depart")
        state = "in_transit"
    if state == "in_transit" and destination.get("polygon") and geometry.in_polygon(destination["polygon"], point):
        actions.append("arrive")
    if state == "in_transit" and "arrive" not in actions:
        alerts += [
            a
            for a in (
                _check_deviation(trip, destination, fix, point),
                _check_stop(trip, destination, fix, point, places),
            )
            if a
        ]
    sample = _speed_sample(trip, fix, point)
    if sample is not None:
        trip.speeds = [s for s in trip.speeds if fix["at_ms"] - s[0] <= SPEED_WINDOW_MS][-60:] + [
            [fix["at_ms"], sample]
        ]
    trip.last_at, trip.last_point = fix["at_ms"], point
    left = 0.0 if "arrive" in actions or state == "arrived" else remaining_m(trip, destination, point)
    trip.remaining_m = round(left)
    trip.eta_ms = fix["at_ms"] + int(left / (recent_kmh(trip.speeds, fix["at_ms"]) / 3.6) * 1000)
    return actions, alerts

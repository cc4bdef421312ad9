"""A trip's rules fix by fix, fix validation and the stored fix format, on plain values (no DynamoDB)."""

from types import SimpleNamespace

import pytest

from backend.tracking import packing, settings, trips
from backend.tracking.validation import validate_batch, validate_fix

MIN = 60_000
T0 = 1_790_000_000_000
MINE, SITE = [110.0, 39.0], [110.5, 39.0]  # the straight corridor runs east along latitude 39
M_PER_DEG_LAT = 111_195


def site_fence(half=0.01):
    (lon, lat) = SITE
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


DESTINATION = {"point": {"type": "Point", "coordinates": SITE}, "polygon": site_fence()}


def new_trip():
    return SimpleNamespace(
        origin=MINE,
        route=None,
        last_point=None,
        last_at=None,
        speeds=[],
        alerts=[],
        off_route_since=None,
        stop_since=None,
        stop_point=None,
        remaining_m=None,
        eta_ms=None,
    )


def fix(at_ms, lon, lat=39.0, speed_kmh=50.0):
    return {"at_ms": at_ms, "lon": lon, "lat": lat, "speed_kmh": speed_kmh}


def off_route():
    """A latitude north of the corridor by twice the allowed distance."""
    return 39.0 + 2 * settings.get("TRACK_CORRIDOR_M") / M_PER_DEG_LAT


def drive(trip, fixes, state="in_transit"):
    alerts = []
    for f in fixes:
        alerts += trips.step(trip, state=state, destination=DESTINATION, fix=f)[1]
    return alerts


def test_a_released_truck_that_leaves_the_mine_departs():
    near = trips.step(new_trip(), state="released", destination=DESTINATION, fix=fix(T0, 110.001))
    away = trips.step(new_trip(), state="released", destination=DESTINATION, fix=fix(T0, 110.05))
    assert near == ([], []) and away[0] == ["depart"]


def test_entering_the_site_fence_arrives_and_leaves_nothing_to_drive():
    trip = new_trip()
    actions, _ = trips.step(trip, state="in_transit", destination=DESTINATION, fix=fix(T0, 110.5, 39.001))
    assert actions == ["arrive"] and trip.remaining_m == 0


def test_a_deviation_alerts_once_per_episode_and_again_after_returning():
    limit = settings.get("TRACK_DEVIATION_MS")
    trip = new_trip()
    first = drive(trip, [fix(T0 + i * MIN, 110.1, off_route()) for i in range(limit // MIN + 5)])
    assert [a["kind"] for a in first] == ["route_deviation"] and first[0]["since"] == T0
    assert drive(trip, [fix(T0 + 40 * MIN, 110.2)]) == []  # back on the corridor
    again = drive(trip, [fix(T0 + (41 + i) * MIN, 110.3, off_route()) for i in range(limit // MIN + 1)])
    assert [a["since"] for a in again] == [T0 + 41 * MIN]


def test_a_short_detour_raises_nothing():
    limit = settings.get("TRACK_DEVIATION_MS")
    trip = new_trip()
    assert drive(trip, [fix(T0 + i * MIN, 110.1, off_route()) for i in range(limit // MIN)]) == []


def test_a_long_stop_on_the_road_alerts_but_waiting_at_the_site_does_not():
    minutes = settings.get("TRACK_LONG_STOP_MS") // MIN + 2
    on_road = drive(new_trip(), [fix(T0 + i * MIN, 110.25, speed_kmh=0) for i in range(minutes)])
    assert [a["kind"] for a in on_road] == ["long_stop"]
    by_site = drive(new_trip(), [fix(T0 + i * MIN, 110.485, speed_kmh=0) for i in range(minutes)])
    assert by_site == []


def test_eta_is_the_winding_distance_left_at_recent_speed():
    trip = new_trip()
    trips.step(trip, state="in_transit", destination=DESTINATION, fix=fix(T0, 110.25, speed_kmh=60))
    assert abs(trip.eta_ms - (T0 + trip.remaining_m / (60 / 3.6) * 1000)) < 1000
    assert trip.remaining_m > 1.2 * 21_500  # ≈ 21.6 km straight, times the road factor


@pytest.mark.parametrize(
    "speeds,kmh", [([], 45.0), ([[T0, 5]], 15.0), ([[T0, 120]], 70.0), ([[T0 - 31 * MIN, 10], [T0, 50]], 50.0)]
)
def test_the_eta_speed_is_recent_and_what_a_coal_truck_does(speeds, kmh):
    assert trips.recent_kmh(speeds, T0) == kmh


def test_a_fix_survives_packing_with_its_missing_values():
    stored = {"lon": 110.123456, "lat": 39.654321, "speed_kmh": 52.5, "course": None, "accuracy_m": 8, "source": "app"}
    back = packing.unpack("veh_1", str(T0), packing.pack(stored))
    assert back == packing.StoredFix("veh_1", T0, 110.123456, 39.654321, 52.5, None, 8.0, "app")
    minute = T0 - T0 % MIN
    assert packing.minute_of(minute + 59_999) == packing.minute_of(minute) == minute
    assert packing.minute_of(minute + MIN) == minute + MIN  # the next minute's item


def test_a_bad_fix_is_refused_naming_its_field_and_the_good_ones_are_kept():
    good, errors = validate_batch(
        [fix(T0, 110.0), fix(T0, 110.0, lat=95.0), {"lon": 110.0, "lat": 39.0}, fix(T0 + 10 * MIN, 110.0)], now_ms=T0
    )
    assert len(good) == 1
    assert set(errors) == {"fixes.1.lat", "fixes.2.at_ms", "fixes.3.at_ms"}
    assert validate_fix(fix(T0, "110", 39.0), T0)[1] == {"lon": ["must be a number"]}

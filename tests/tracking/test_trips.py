"""Trips driven by fixes with an injected clock: depart, arrival by fence, deviation and long-stop alerts."""

from backend.common.clock import now_ms
from backend.tracking import ingest, service, store
from backend.waybills import store as waybill_store
from tests.builders import Actor, headers_for, make_org, make_user
from tests.tracking.conftest import MINE_GATE, SITE, fix, make_waybill, towards

MIN = 60_000


def feed(world, fixes, now):
    vehicle = world["vehicle"]
    facts = {"vehicle_id": vehicle.vehicle_id, "plate": vehicle.plate, "carrier_id": vehicle.carrier_id}
    waybill = waybill_store.get(world["waybill"].waybill_id)
    return ingest.ingest(
        vehicle=facts, raw_fixes=fixes, source="phone", driver_id=world["driver"].user_id, waybill=waybill, now_ms=now
    )


def alerts(world):
    return [a["kind"] for a in store.get_trip(world["waybill"].waybill_id).alerts]


def test_entering_the_destination_fence_marks_arrived(app, client):
    world = make_waybill()
    t0 = now_ms() - 60 * MIN
    drive = [fix(*towards(MINE_GATE, SITE, i / 10), t0 + i * 5 * MIN, speed_kmh=40) for i in range(1, 10)]
    assert feed(world, drive, now_ms())["state"] == "in_transit"
    assert feed(world, [fix(*SITE, t0 + 50 * MIN, speed_kmh=5)], now_ms())["state"] == "arrived"
    history = client.get(f"/api/waybills/{world['waybill'].waybill_id}/history", headers=headers_for(world["buyer"]))
    arrive = history.json["items"][-1]
    assert arrive["action"] == "arrive" and arrive["actor_id"] == "geofence"
    assert arrive["where"]["coordinates"] == [round(SITE[0], 6), round(SITE[1], 6)]


def test_leaving_the_mine_after_release_departs(app):
    world = make_waybill(state="released")
    t0 = now_ms() - 10 * MIN
    assert feed(world, [fix(*MINE_GATE, t0, speed_kmh=0)], now_ms())["state"] == "released"
    assert (
        feed(world, [fix(*towards(MINE_GATE, SITE, 0.2), t0 + 5 * MIN, speed_kmh=45)], now_ms())["state"]
        == "in_transit"
    )


def test_driver_presses_depart(client):
    world = make_waybill(state="released")
    url = f"/api/tracking/waybills/{world['waybill'].waybill_id}/depart"
    reply = client.post(url, json={"point": list(MINE_GATE)}, headers=headers_for(world["driver"]))
    assert reply.status_code == 200 and reply.json["state"] == "in_transit"
    assert client.post(url, json={}, headers=headers_for(world["driver"])).status_code == 409


def test_driver_arrive_outside_the_fence_is_refused_naming_point(client):
    world = make_waybill()
    url = f"/api/tracking/waybills/{world['waybill'].waybill_id}/arrive"
    far = client.post(url, json={"point": list(towards(MINE_GATE, SITE, 0.5))}, headers=headers_for(world["driver"]))
    assert far.status_code == 409 and "point" in far.json["error"]["details"]["fields"]
    inside = client.post(url, json={"point": list(SITE)}, headers=headers_for(world["driver"]))
    assert inside.status_code == 200 and inside.json["state"] == "arrived"


def off_route(minutes, t0):
    """Fixes ~8 km north of the mine-site line, one a minute, still moving."""
    base = towards(MINE_GATE, SITE, 0.4)
    return [fix(base[0], base[1] + 0.075 + i * 0.0001, t0 + i * MIN, speed_kmh=40) for i in range(minutes + 1)]


def test_route_deviation_alert_after_ten_minutes_off_the_corridor(app):
    world = make_waybill()
    t0 = now_ms() - 60 * MIN
    feed(world, off_route(9, t0), now_ms())
    assert "route_deviation" not in alerts(world)
    feed(world, off_route(11, t0)[10:], now_ms())
    assert alerts(world).count("route_deviation") == 1


def test_short_deviation_back_on_route_raises_nothing(app):
    world = make_waybill()
    t0 = now_ms() - 60 * MIN
    back = [fix(*towards(MINE_GATE, SITE, 0.45), t0 + 8 * MIN, speed_kmh=40)]
    feed(world, off_route(7, t0) + back + [dict(f, at_ms=f["at_ms"] + 9 * MIN) for f in off_route(7, t0)], now_ms())
    assert "route_deviation" not in alerts(world)


def test_a_provided_route_moves_the_corridor(app, client):
    world = make_waybill()
    t0 = now_ms() - 60 * MIN
    feed(world, [fix(*towards(MINE_GATE, SITE, 0.1), t0, speed_kmh=40)], now_ms())
    detour = towards(MINE_GATE, SITE, 0.4)
    route = [list(MINE_GATE), [detour[0], detour[1] + 0.075], list(SITE)]
    reply = client.put(
        f"/api/tracking/waybills/{world['waybill'].waybill_id}/route",
        json={"route": route},
        headers=headers_for(make_user("dispatcher")),
    )
    assert reply.status_code == 200
    feed(world, [dict(f, at_ms=f["at_ms"] + MIN) for f in off_route(15, t0)], now_ms())
    assert "route_deviation" not in alerts(world)


def stopped(point, minutes, t0):
    return [fix(point[0], point[1], t0 + i * MIN, speed_kmh=0) for i in range(minutes + 1)]


def test_long_stop_alert_after_thirty_minutes_on_the_road(app):
    world = make_waybill()
    t0 = now_ms() - 90 * MIN
    road = towards(MINE_GATE, SITE, 0.5)
    feed(world, stopped(road, 29, t0), now_ms())
    assert "long_stop" not in alerts(world)
    feed(world, stopped(road, 31, t0)[30:], now_ms())
    assert alerts(world) == ["long_stop"]


def test_waiting_near_the_destination_is_not_a_long_stop(app):
    world = make_waybill()
    near_site = (SITE[0] - 0.01, SITE[1])  # ~900 m west of the site, outside its fence
    feed(world, stopped(near_site, 45, now_ms() - 60 * MIN), now_ms())
    assert alerts(world) == []


def test_eta_is_remaining_distance_over_recent_speed(app):
    world = make_waybill()
    t0 = now_ms() - 20 * MIN
    result = feed(world, [fix(*towards(MINE_GATE, SITE, 0.5), t0 + i * MIN, speed_kmh=60) for i in range(3)], now_ms())
    trip = store.get_trip(world["waybill"].waybill_id)
    assert abs(result["eta_ms"] - (t0 + 2 * MIN + trip.remaining_m / (60 / 3.6) * 1000)) < 2000
    assert 9_000 < trip.remaining_m < 14_000  # half of ~18 km straight line, times the road factor


def test_a_shipper_sees_only_their_own_waybills_tracks(client):
    world = make_waybill()
    own = make_user("shipper", org_id=world["shipper_org"].org_id)
    other = make_user("shipper", org_id=make_org("shipper").org_id)
    url = f"/api/tracking/waybills/{world['waybill'].waybill_id}"
    assert client.get(url, headers=headers_for(own)).status_code == 200
    assert client.get(url, headers=headers_for(other)).status_code == 404
    assert client.get(url, headers=headers_for(make_user("driver"))).status_code == 404


def test_depart_is_only_for_the_waybills_driver(client):
    world = make_waybill(state="released")
    reply = service_depart_as(world, make_user("driver"))
    assert reply == 404


def service_depart_as(world, user):
    try:
        service.depart(principal=Actor(user), waybill_id=world["waybill"].waybill_id, now_ms=now_ms())
    except Exception as error:  # noqa: BLE001 - the status is what the caller sees
        return getattr(error, "status", 500)
    return 200

"""Trip detections reach people: route-deviation and long-stop alerts for dispatch and the truck's carrier."""

from pytest import approx

from backend.accounts import store as accounts_store
from backend.alerts import store as alerts_store
from backend.common.clock import now_ms
from backend.tracking import ingest, trip_alerts
from backend.waybills import store as waybill_store
from tests.builders import headers_for, make_org, make_user
from tests.tracking.conftest import MINE_GATE, SITE, fix, make_waybill, towards

MIN = 60_000


def feed(world, fixes, now):
    """Fixes as the driver's phone sends them, processed at an injected `now`."""
    vehicle = world["vehicle"]
    facts = {"vehicle_id": vehicle.vehicle_id, "plate": vehicle.plate, "carrier_id": vehicle.carrier_id}
    return ingest.ingest(
        vehicle=facts,
        raw_fixes=fixes,
        source="phone",
        driver_id=world["driver"].user_id,
        waybill=waybill_store.get(world["waybill"].waybill_id),
        now_ms=now,
    )


def off_route(minutes, t0, first=0):
    """Fixes ~8 km north of the mine-site line, one a minute, still moving."""
    base = towards(MINE_GATE, SITE, 0.4)
    return [fix(base[0], base[1] + 0.075 + i * 0.0001, t0 + i * MIN, speed_kmh=40) for i in range(first, minutes + 1)]


def stopped(at, minutes, t0, first=0):
    return [fix(at[0], at[1], t0 + i * MIN, speed_kmh=0) for i in range(first, minutes + 1)]


def trip_alerts_of(waybill_id, kind=None):
    found = [a for a in alerts_store.Alert.by_waybill.query(waybill_id)]
    return [a for a in found if kind is None or a.kind == kind]


def test_route_deviation_is_one_alert_per_episode_with_its_evidence(app, client):
    world = make_waybill()
    t0 = now_ms() - 90 * MIN
    feed(world, off_route(9, t0), t0 + 9 * MIN)
    assert trip_alerts_of(world["waybill"].waybill_id) == []
    feed(world, off_route(11, t0, first=10), t0 + 11 * MIN)
    feed(world, off_route(25, t0, first=12), t0 + 25 * MIN)  # still off route: the same episode
    (alert,) = trip_alerts_of(world["waybill"].waybill_id, "route_deviation")
    dispatcher = make_user("dispatcher")
    view = client.get(f"/api/alerts/{alert.alert_id}", headers=headers_for(dispatcher)).json
    assert view["status"] == "open" and view["held"] is False and view["waybill_id"] == world["waybill"].waybill_id
    numbers = view["evidence"]["numbers"]
    assert numbers["off_route_m"] > numbers["corridor_m"] == 5000 and numbers["off_route_min"] == 10
    tenth = off_route(10, t0)[10]
    assert view["evidence"]["position"]["lonlat"] == approx([tenth["lon"], tenth["lat"]], abs=1e-6)
    assert "km" in view["reason"] and view["plate"] == world["vehicle"].plate
    assert waybill_store.get(world["waybill"].waybill_id).state == "in_transit"  # a truck on the road is not held


def test_back_on_route_then_off_again_is_a_second_alert(app):
    world = make_waybill()
    t0 = now_ms() - 120 * MIN
    feed(world, off_route(12, t0), t0 + 12 * MIN)
    feed(world, [fix(*towards(MINE_GATE, SITE, 0.45), t0 + 13 * MIN, speed_kmh=40)], t0 + 13 * MIN)
    feed(world, off_route(40, t0, first=20), t0 + 40 * MIN)
    assert len(trip_alerts_of(world["waybill"].waybill_id, "route_deviation")) == 2


def test_long_stop_outside_known_places_alerts_once(app, client):
    world = make_waybill()
    lay_by = towards(MINE_GATE, SITE, 0.5)
    t0 = now_ms() - 120 * MIN
    feed(world, stopped(lay_by, 29, t0), t0 + 29 * MIN)
    assert trip_alerts_of(world["waybill"].waybill_id) == []
    feed(world, stopped(lay_by, 45, t0, first=30), t0 + 45 * MIN)
    (alert,) = trip_alerts_of(world["waybill"].waybill_id, "long_stop")
    assert alert.evidence["numbers"]["stopped_min"] == 30 and alert.evidence["since_ms"] == t0
    assert alert.evidence["position"]["lonlat"] == approx(list(lay_by), abs=1e-6)
    assert alert.carrier_id == world["carrier_org"].org_id


def test_stopping_near_the_site_is_queueing_not_an_alert(app):
    world = make_waybill()
    near_site = towards(MINE_GATE, SITE, 0.97)  # ~500 m short of the site, outside its fence
    t0 = now_ms() - 120 * MIN
    feed(world, stopped(near_site, 50, t0), t0 + 50 * MIN)
    assert trip_alerts_of(world["waybill"].waybill_id) == []


def raise_deviation(world, t0):
    feed(world, off_route(11, t0), t0 + 11 * MIN)
    (alert,) = trip_alerts_of(world["waybill"].waybill_id, "route_deviation")
    return alert


def test_the_trucks_carrier_sees_it_other_carriers_and_gate_staff_do_not(app, client):
    world = make_waybill()
    alert = raise_deviation(world, now_ms() - 60 * MIN)
    own = make_user("carrier", org_id=world["carrier_org"].org_id)
    other = make_user("carrier", org_id=make_org("carrier").org_id)
    gate = make_user("gate", mine_id="mine_hll")
    listed = client.get("/api/alerts?status=open", headers=headers_for(own)).json["items"]
    assert [a["id"] for a in listed] == [alert.alert_id]
    assert client.get(f"/api/alerts/{alert.alert_id}", headers=headers_for(own)).status_code == 200
    assert client.get("/api/alerts", headers=headers_for(other)).json["items"] == []
    assert client.get(f"/api/alerts/{alert.alert_id}", headers=headers_for(other)).status_code == 404
    assert client.get(f"/api/alerts/{alert.alert_id}", headers=headers_for(gate)).status_code == 404
    gate_list = client.get("/api/alerts?limit=100", headers=headers_for(gate)).json["items"]
    assert alert.alert_id not in [a["id"] for a in gate_list]
    dispatch = client.get(f"/api/alerts/{alert.alert_id}", headers=headers_for(make_user("dispatcher")))
    assert dispatch.status_code == 200 and dispatch.json["kind"] == "route_deviation"
    resolve = client.post(
        f"/api/alerts/{alert.alert_id}/resolve", json={"outcome": "cleared", "reason": "ok"}, headers=headers_for(own)
    )
    assert resolve.status_code == 403  # dispatch resolves; the carrier watches


def test_dispatcher_clears_with_a_reason_and_the_trip_goes_on(app, client):
    world = make_waybill()
    alert = raise_deviation(world, now_ms() - 60 * MIN)
    dispatcher = make_user("dispatcher")
    url = f"/api/alerts/{alert.alert_id}/resolve"
    missing = client.post(url, json={"outcome": "cleared", "reason": ""}, headers=headers_for(dispatcher))
    assert missing.status_code == 400 and "reason" in missing.json["error"]["details"]["fields"]
    done = client.post(
        url, json={"outcome": "cleared", "reason": "修路绕行 detour around roadworks"}, headers=headers_for(dispatcher)
    )
    assert done.status_code == 200 and done.json["status"] == "cleared"
    assert done.json["resolution_reason"] == "修路绕行 detour around roadworks"
    actions = [e.action for e in waybill_store.history(world["waybill"].waybill_id)]
    assert "unhold" not in actions and waybill_store.get(world["waybill"].waybill_id).state == "in_transit"


def test_confirming_a_trip_alert_does_not_block_the_truck(app, client):
    world = make_waybill()
    alert = raise_deviation(world, now_ms() - 60 * MIN)
    done = client.post(
        f"/api/alerts/{alert.alert_id}/resolve",
        json={"outcome": "confirmed", "reason": "私自绕路"},
        headers=headers_for(make_user("dispatcher")),
    )
    assert done.status_code == 200 and done.json["status"] == "confirmed"
    assert accounts_store.get_vehicle(world["vehicle"].vehicle_id).status != "blocked"


def test_clearing_a_trip_alert_leaves_someone_elses_hold_in_place(app, client):
    world = make_waybill(state="held", held_from="released", hold_reason="调度扣车 held by dispatch")
    waybill = waybill_store.get(world["waybill"].waybill_id)
    detection = {
        "kind": "long_stop",
        "since": now_ms() - 40 * MIN,
        "at_ms": now_ms(),
        "point": list(MINE_GATE),
        "detail": {"stopped_min": 40},
    }
    alert_id = trip_alerts.raise_for(waybill, detection, now_ms=now_ms())
    done = client.post(
        f"/api/alerts/{alert_id}/resolve",
        json={"outcome": "cleared", "reason": "司机吃饭"},
        headers=headers_for(make_user("dispatcher")),
    )
    assert done.status_code == 200
    assert waybill_store.get(waybill.waybill_id).state == "held"


def test_a_replayed_detection_raises_no_second_alert(app):
    world = make_waybill()
    waybill = waybill_store.get(world["waybill"].waybill_id)
    at = now_ms()
    detection = {
        "kind": "route_deviation",
        "since": at - 15 * MIN,
        "at_ms": at,
        "point": list(SITE),
        "detail": {"off_route_m": 7200},
    }
    first = trip_alerts.raise_for(waybill, dict(detection), now_ms=at)
    again = trip_alerts.raise_for(waybill, dict(detection, at_ms=at + MIN), now_ms=at + MIN)  # a concurrent consumer
    assert first == again and len(trip_alerts_of(waybill.waybill_id)) == 1

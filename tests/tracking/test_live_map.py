"""The dispatcher's live map: markers inside the box when zoomed in, counts per cell when zoomed out."""

import random

from backend.common.clock import now_ms
from backend.tracking import live
from tests.builders import headers_for, make_user
from tests.tracking.conftest import fix, make_waybill
from tests.tracking.test_trips import feed

# A box far from the demo data and other tests' trucks (Inner Mongolia grassland).
AREA = (112.00, 43.00, 112.30, 43.15)


def test_bbox_returns_only_trucks_on_a_trip_inside_it(client):
    worlds = [make_waybill() for _ in range(3)]
    t = now_ms() - 60_000
    inside = [(112.05, 43.05), (112.25, 43.12)]
    for world, point in zip(worlds, inside + [(112.5, 43.05)]):
        feed(world, [fix(*point, t, speed_kmh=50)], now_ms())
    idle = make_waybill(state="confirmed")
    feed(idle, [fix(112.1, 43.1, t)], now_ms())
    dispatcher = make_user("dispatcher")
    reply = client.get("/api/tracking/live?bbox=" + ",".join(map(str, AREA)), headers=headers_for(dispatcher))
    assert reply.status_code == 200 and reply.json["mode"] == "markers"
    plates = {v["plate"] for v in reply.json["vehicles"]}
    assert plates == {worlds[0]["vehicle"].plate, worlds[1]["vehicle"].plate}


def test_zoomed_out_the_page_gets_counts_not_vehicles(client, app):
    worlds = [make_waybill() for _ in range(4)]
    t = now_ms() - 60_000
    for world in worlds:
        feed(world, [fix(115 + random.random() * 0.1, 45 + random.random() * 0.1, t)], now_ms())
    result = live.live_map(bbox="100,35,125,50")
    assert result["mode"] == "clusters" and result["vehicles"] == []
    near = [c for c in result["clusters"] if 114 < c["lon"] < 116 and 44 < c["lat"] < 46]
    assert sum(c["count"] for c in near) >= 4


def test_delivered_trucks_leave_the_map(client, app):
    world = make_waybill()
    feed(world, [fix(113.05, 44.05, now_ms() - 120_000)], now_ms())
    assert len(live.live_map(bbox="113,44,113.1,44.1")["vehicles"]) == 1
    from backend.tracking import trip_runner
    from backend.waybills import store as waybill_store

    trip_runner.end_trip(waybill=waybill_store.get(world["waybill"].waybill_id), now_ms=now_ms())
    assert live.live_map(bbox="113,44,113.1,44.1")["vehicles"] == []


def test_bad_bbox_names_the_field(client):
    reply = client.get("/api/tracking/live?bbox=1,2,3", headers=headers_for(make_user("dispatcher")))
    assert reply.status_code == 400 and "bbox" in reply.json["error"]["details"]["fields"]


def test_live_map_is_for_the_dispatch_centre(client):
    assert client.get("/api/tracking/live?bbox=1,2,3,4", headers=headers_for(make_user("shipper"))).status_code == 403


def test_a_poll_with_the_last_etag_answers_304_until_a_truck_moves(client):
    world = make_waybill()
    t = now_ms() - 60_000
    feed(world, [fix(112.45, 43.42, t, speed_kmh=50)], now_ms())
    url, headers = "/api/tracking/live?bbox=112.4,43.4,112.5,43.45", headers_for(make_user("dispatcher"))
    first = client.get(url, headers=headers)
    assert first.status_code == 200 and len(first.json["vehicles"]) == 1
    again = client.get(url, headers=dict(headers, **{"If-None-Match": first.headers["ETag"]}))
    assert again.status_code == 304 and again.data == b""
    feed(world, [fix(112.46, 43.43, t + 30_000, speed_kmh=50)], now_ms())
    moved = client.get(url, headers=dict(headers, **{"If-None-Match": first.headers["ETag"]}))
    assert moved.status_code == 200 and moved.json["vehicles"][0]["lon"] == 112.46

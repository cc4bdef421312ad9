"""Fix ingestion over HTTP: validation named per fix, duplicates ignored, Traccar forwarding accepted."""

from datetime import UTC, datetime

from backend.common.clock import now_ms
from tests.builders import headers_for, make_user
from tests.tracking.conftest import MINE_GATE, SITE, fix, make_waybill, towards

URL = "/api/tracking/fixes"


def post(client, world, fixes, user=None):
    return client.post(
        URL,
        json={"waybill_id": world["waybill"].waybill_id, "fixes": fixes},
        headers=headers_for(user or world["driver"]),
    )


def test_all_bad_fixes_are_400_naming_index_and_field(client, world):
    t = now_ms()
    reply = post(client, world, [fix(200.0, 38.9, t), fix(110.4, 38.9, t + 20 * 60_000), {"lat": 38.9, "at_ms": t}])
    assert reply.status_code == 400
    fields = reply.json["error"]["details"]["fields"]
    assert set(fields) == {"fixes.0.lon", "fixes.1.at_ms", "fixes.2.lon"}
    assert "future" in fields["fixes.1.at_ms"][0]


def test_good_fixes_are_kept_and_bad_ones_reported(client, world):
    t = now_ms() - 60_000
    p = towards(MINE_GATE, SITE, 0.3)
    reply = post(client, world, [fix(*p, t), fix(p[0], 95.0, t + 1000), fix(*p, t + 2000, speed_kmh=900)])
    assert reply.status_code == 200
    assert reply.json["accepted"] == 1
    assert [(r["index"], sorted(r["fields"])) for r in reply.json["rejected"]] == [(1, ["lat"]), (2, ["speed_kmh"])]


def test_more_than_500_fixes_is_refused(client, world):
    t = now_ms() - 3_600_000
    reply = post(client, world, [fix(110.4, 38.9, t + i * 1000) for i in range(501)])
    assert reply.status_code == 400 and "fixes" in reply.json["error"]["details"]["fields"]


def test_duplicates_are_ignored(client, world):
    t = now_ms() - 600_000
    points = [fix(*towards(MINE_GATE, SITE, 0.2 + i / 100), t + i * 30_000, speed_kmh=50) for i in range(5)]
    first = post(client, world, points)
    again = post(client, world, points[2:] + [points[0], points[0]])
    assert first.json["accepted"] == 5
    assert again.status_code == 200 and again.json["accepted"] == 0 and again.json["duplicates"] == 5
    track = client.get(f"/api/tracking/waybills/{world['waybill'].waybill_id}", headers=headers_for(world["driver"]))
    assert len(track.json["track"]) == 5


def test_another_driver_cannot_post_fixes_for_the_waybill(client, world):
    stranger = make_user("driver")
    assert post(client, world, [fix(110.4, 38.9, now_ms())], user=stranger).status_code == 404


def traccar_payload(terminal_id, lon, lat, at_ms, knots=27.0):
    iso = datetime.fromtimestamp(at_ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    return {
        "position": {
            "id": 1,
            "deviceId": 7,
            "protocol": "gt06",
            "serverTime": iso,
            "deviceTime": iso,
            "fixTime": iso,
            "outdated": False,
            "valid": True,
            "latitude": lat,
            "longitude": lon,
            "altitude": 1100.0,
            "speed": knots,
            "course": 120.0,
            "address": None,
            "accuracy": 0.0,
            "network": None,
            "attributes": {"ignition": True, "motion": True},
        },
        "device": {
            "id": 7,
            "name": "陕K3A612",
            "uniqueId": terminal_id,
            "status": "online",
            "lastUpdate": iso,
            "attributes": {},
        },
    }


def test_traccar_forwarded_position_is_accepted(client, gateway):
    world = make_waybill()
    p = towards(MINE_GATE, SITE, 0.5)
    reply = gateway(
        client, "/api/tracking/traccar", traccar_payload(world["vehicle"].terminal_id, p[0], p[1], now_ms() - 5000)
    )
    assert reply.status_code == 200, reply.json
    assert reply.json["accepted"] == 1 and reply.json["waybill_id"] == world["waybill"].waybill_id
    trip = client.get(f"/api/tracking/waybills/{world['waybill'].waybill_id}", headers=headers_for(world["buyer"]))
    assert trip.json["position"]["lon"] == round(p[0], 6)
    assert trip.json["eta_ms"] > now_ms()


def test_traccar_speed_in_knots_becomes_kmh():
    from backend.tracking.service import traccar_fix

    assert traccar_fix(traccar_payload("T1", 110.4, 38.9, 0, knots=27.0)["position"])["speed_kmh"] == 50.0


def test_traccar_unknown_terminal_names_the_field(client, gateway):
    reply = gateway(client, "/api/tracking/traccar", traccar_payload("T-nobody", 110.4, 38.9, now_ms()))
    assert reply.status_code == 404 and "device.uniqueId" in reply.json["error"]["details"]["fields"]


def test_traccar_needs_a_signed_gateway(client):
    reply = client.post("/api/tracking/traccar", json=traccar_payload("T1", 110.4, 38.9, now_ms()))
    assert reply.status_code == 401


def test_every_accepted_fix_reaches_the_checkin_consumer(client, world, monkeypatch):
    from backend import events

    heard = []
    monkeypatch.setitem(events.SUBSCRIBERS, "fixes_accepted", ("tests.tracking.test_ingest_api:_hear",))
    monkeypatch.setitem(
        events._loaded,
        "tests.tracking.test_ingest_api:_hear",
        lambda **batch: heard.extend(f["at_ms"] for f in batch["fixes"]),
    )
    t = now_ms() - 120_000
    points = [fix(*towards(MINE_GATE, SITE, 0.3), t + i * 1000, accuracy_m=10) for i in range(3)]
    post(client, world, points)
    post(client, world, points)  # duplicates are not heard twice
    assert heard == [t, t + 1000, t + 2000]

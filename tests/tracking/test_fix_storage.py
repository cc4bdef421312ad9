"""Fixes packed per vehicle-minute: far fewer writes, the same facts read back, replays and races lose nothing."""

import threading

from backend.common.clock import now_ms
from backend.common.models import UniqueClaim
from backend.tracking import service, store, trip_runner
from backend.tracking.packing import minute_of
from backend.waybills import store as waybill_store
from backend.waybills.models import Waybill
from tests.builders import headers_for, random_ref
from tests.callcount import count_calls
from tests.tracking.conftest import MINE_GATE, SITE, fix, make_waybill, towards

MIN = 60_000


def phone_fixes(vehicle_id, start, count, every_ms=1000, **extra):
    return [
        dict(
            fix(110.3 + i * 1e-4, 38.9 - i * 1e-4, start + i * every_ms, **extra), vehicle_id=vehicle_id, source="phone"
        )
        for i in range(count)
    ]


def test_a_batch_costs_one_write_per_minute_and_reads_back_the_same_facts(app):
    vehicle_id, start = random_ref("veh"), minute_of(now_ms()) - 20 * MIN
    fixes = phone_fixes(vehicle_id, start, 300, speed_kmh=48.5, accuracy_m=8.0)  # one a second for 5 minutes
    fixes[7].update(speed_kmh=None, course=271.5)
    with count_calls() as calls:
        fresh = store.write_fixes(fixes, retention_days=30, newest_stored_ms=-1)
    assert len(fresh) == 300
    assert len(calls) == 5  # was 12 BatchWriteItem calls carrying 300 items
    stored = store.track(vehicle_id, since_ms=start, until_ms=start + 10 * MIN)
    assert [f.at_ms for f in stored] == [f["at_ms"] for f in fixes]
    assert (
        stored[7].lon,
        stored[7].lat,
        stored[7].speed_kmh,
        stored[7].course,
        stored[7].accuracy_m,
        stored[7].source,
    ) == (fixes[7]["lon"], fixes[7]["lat"], None, 271.5, 8.0, "phone")


def test_replayed_fixes_are_reported_and_never_stored_twice(app):
    vehicle_id, start = random_ref("veh"), now_ms() - 30 * MIN
    fixes = phone_fixes(vehicle_id, start, 90)
    store.write_fixes(fixes[:60], retention_days=30)
    moved = [dict(f, lon=100.0) for f in fixes[30:]]  # an outbox replay overlapping the stored half
    fresh = store.write_fixes(moved, retention_days=30, newest_stored_ms=fixes[59]["at_ms"])
    assert [f["at_ms"] for f in fresh] == [f["at_ms"] for f in fixes[60:]]
    stored = store.track(vehicle_id, since_ms=start, until_ms=start + 5 * MIN)
    assert len(stored) == 90
    assert stored[45].lon == fixes[45]["lon"]  # the first stored value stays


def test_concurrent_batches_for_one_vehicle_lose_no_fix(app):
    vehicle_id, start = random_ref("veh"), minute_of(now_ms()) - 10 * MIN
    writers = 8
    batches = [phone_fixes(vehicle_id, start + w * 100, 40, every_ms=1500) for w in range(writers)]
    batches.append(batches[0])  # one writer replays another's batch at the same moment
    ready, fresh = threading.Barrier(len(batches)), []

    def write(batch, hint):
        ready.wait()
        fresh.append(store.write_fixes(batch, retention_days=30, newest_stored_ms=hint))

    # Half guess "new minute" (Put first), half "existing" (append first): both orders meet in every minute.
    threads = [threading.Thread(target=write, args=(b, -1 if i % 2 else None)) for i, b in enumerate(batches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = sorted({f["at_ms"] for batch in batches for f in batch})
    stored = store.track(vehicle_id, since_ms=start, until_ms=start + 5 * MIN)
    assert [f.at_ms for f in stored] == expected
    assert sorted(f["at_ms"] for batch in fresh for f in batch) == expected  # each fix is new exactly once


def test_last_fix_before_looks_into_the_previous_minute_when_needed(app):
    vehicle_id, minute = random_ref("veh"), minute_of(now_ms()) - 5 * MIN
    before, after = phone_fixes(vehicle_id, minute - 10_000, 1), phone_fixes(vehicle_id, minute + 30_000, 1)
    store.write_fixes(before + after, retention_days=30)
    assert service.last_fix_before(vehicle_id, at_ms=minute + 10_000).at_ms == minute - 10_000
    assert service.last_fix_before(vehicle_id, at_ms=minute + 40_000).at_ms == minute + 30_000
    assert service.last_fix_before(vehicle_id, at_ms=minute - 20_000) is None


def _past_waybills(driver_id, vehicle_id, count, t):
    """Delivered loads of the same driver and truck, touched after the current one (a filter would read them all)."""
    for i in range(count):
        waybill_store.create(
            Waybill(
                random_ref("wb"),
                state="settled",
                mine_id="mine_hll",
                product_id="raw",
                tonnage_kg=34000,
                driver_id=driver_id,
                vehicle_id=vehicle_id,
                created_at=t - 86400_000,
                updated_at=t + i + 1,
            )
        )


def test_a_phone_fix_finds_the_trip_through_the_drivers_claim_whatever_their_history(app, client):
    fresh_driver, veteran = make_waybill(), make_waybill()
    for world in (fresh_driver, veteran):
        # The one-active-waybill claim that assignment takes (the waybill here was created at its state).
        UniqueClaim(waybill_store.active_value(world["driver"].user_id), owner_id=world["waybill"].waybill_id).save()
    _past_waybills(veteran["driver"].user_id, veteran["vehicle"].vehicle_id, 60, veteran["waybill"].updated_at)
    counts = []
    for world in (fresh_driver, veteran):
        with count_calls() as calls:
            found = trip_runner.on_road_for_driver(world["driver"].user_id, world["vehicle"].vehicle_id)
        assert found.waybill_id == world["waybill"].waybill_id
        counts.append(len(calls))
    assert counts == [2, 2]  # the claim, then the waybill: ["GetItem", "GetItem"]
    t = now_ms() - 60_000
    reply = client.post(
        "/api/tracking/fixes",
        json={"fixes": [fix(*towards(MINE_GATE, SITE, 0.3), t)]},
        headers=headers_for(veteran["driver"]),
    )
    assert reply.status_code == 200 and reply.json["waybill_id"] == veteran["waybill"].waybill_id


def test_a_terminal_fix_finds_the_trip_in_a_bounded_read_of_the_trucks_newest_waybills(app):
    world = make_waybill(state="in_transit")
    vehicle_id, since = world["vehicle"].vehicle_id, now_ms() - 14 * 86400_000
    with count_calls() as calls:
        found = trip_runner.on_road_for_vehicle(vehicle_id, since_ms=since)
    assert found.waybill_id == world["waybill"].waybill_id and len(calls) == 2
    idle = make_waybill(state="settled")
    _past_waybills(idle["driver"].user_id, idle["vehicle"].vehicle_id, 40, now_ms())
    with count_calls() as calls:
        assert trip_runner.on_road_for_vehicle(idle["vehicle"].vehicle_id, since_ms=since) is None
    assert calls == ["Query"]


def test_trip_view_track_comes_from_the_packed_minutes(app, client):
    world = make_waybill(state="released")
    t0 = now_ms() - 30 * MIN
    points = [fix(*towards(MINE_GATE, SITE, i / 40), t0 + i * 20_000, speed_kmh=45, accuracy_m=5) for i in range(40)]
    reply = client.post(
        "/api/tracking/fixes",
        json={"waybill_id": world["waybill"].waybill_id, "fixes": points},
        headers=headers_for(world["driver"]),
    )
    assert reply.json["accepted"] == 40 and reply.json["state"] == "in_transit"
    view = client.get(f"/api/tracking/waybills/{world['waybill'].waybill_id}", headers=headers_for(world["buyer"]))
    assert [p[2] for p in view.json["track"]] == [p["at_ms"] for p in points]

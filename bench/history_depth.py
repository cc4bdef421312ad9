"""Does a request cost what its answer costs, whatever the history? Calls and latency by history depth.

    .venv/bin/python bench/history_depth.py [--depths 0,100,1000,5000] [--mine-history 10000] [--repeats 5]

One in-memory DynamoDB Local; a mine with `--mine-history` finished waybills; for each depth a new
driver whose past (that many settled waybills, written with BatchWrite straight through the model)
sits on the same mine, carrier and truck. Then `--repeats` rounds of each driver's day, interleaved across depths:
grab a hall load, book a window, (check in), poll the queue position, list the hall, resolve the
trip for a phone fix — each counted in DynamoDB calls (a hook on botocore's `before-call` event of
every client) and timed; then the round is undone (check out, cancel, give back), unmeasured.
Prints the median per step and depth and its ratio to depth 0 (goal: flat, within ±20 %).
"""

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _world  # noqa: E402

STEPS = ("grab", "booking", "queue position", "hall list", "trip resolution")
_counting = threading.local()


def _before_call(model=None, **_):
    calls = getattr(_counting, "calls", None)
    if calls is not None:
        calls.append(model.name)


def hook_every_client():
    """Count DynamoDB operations on every botocore client this process builds (the shared one included)."""
    import botocore.session

    original = botocore.session.Session.create_client

    def create_client(self, service_name, *args, **kwargs):
        client = original(self, service_name, *args, **kwargs)
        if service_name == "dynamodb":
            client.meta.events.register("before-call.dynamodb", _before_call)
        return client

    botocore.session.Session.create_client = create_client


def measured(samples, step, work):
    """Run work() once, recording (calls, seconds) under step; return its result."""
    _counting.calls = []
    began = time.perf_counter()
    try:
        result = work()
    finally:
        samples.setdefault(step, []).append((len(_counting.calls), time.perf_counter() - began))
        _counting.calls = None
    return result


def write_history(waybills, threads=8):
    """BatchWrite whole waybills (25 a request) from a few threads: seeding 5,000 takes seconds, not minutes."""
    from backend.waybills.models import Waybill

    def write(chunk):
        with Waybill.batch_write() as batch:
            for waybill in chunk:
                batch.save(waybill)

    chunks = [waybills[i : i + 500] for i in range(0, len(waybills), 500)]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, chunks))


def past_waybills(count, *, mine_id, driver_id=None, carrier_id=None, vehicle_id=None, now):
    from backend.common.ids import new_id
    from backend.waybills.models import Waybill

    day = 86_400_000
    return [
        Waybill(
            new_id("wb"),
            state="settled",
            version=12,
            mine_id=mine_id,
            product_id="raw",
            tonnage_kg=34_000,
            shipper_id="org_bench_shipper",
            driver_id=driver_id or f"u_past{i % 500}",
            carrier_id=carrier_id or f"org_past{i % 50}",
            vehicle_id=vehicle_id or f"veh_past{i % 500}",
            plate="陕K00000",
            destination={"address": "bench"},
            created_at=now - (i + 2) * day // 4,
            updated_at=now - (i + 1) * day // 4,
        )
        for i in range(count)
    ]


def hall_load(mine_id, now):
    from backend.common.ids import new_id
    from backend.waybills import store as waybill_store
    from backend.waybills.models import Waybill

    return waybill_store.create(
        Waybill(
            new_id("wb"),
            state="open",
            version=0,
            mine_id=mine_id,
            product_id="raw",
            tonnage_kg=30_000,
            price_fen_per_t=60_000,
            freight_fen_per_t=4_000,
            hall_mine_id=mine_id,
            created_at=now,
            updated_at=now,
            destination={"address": "神木市 测试砖厂", "point": {"type": "Point", "coordinates": [110.265, 39.266]}},
        )
    )


def one_round(client, samples, *, crew, mine_id, slot_id):
    """The driver's day once, measured step by step, then undone so the next round starts the same."""
    from backend.appointments.booking import service as booking_service
    from backend.appointments.checkin import service as checkin
    from backend.common.clock import now_ms
    from backend.tracking import trip_runner
    from tests.builders import headers_for

    user, vehicle = crew
    load = hall_load(mine_id, now_ms())
    reply = measured(
        samples,
        "grab",
        lambda: client.post(
            f"/api/hall/{load.waybill_id}/grab", json={"vehicle_id": vehicle.vehicle_id}, headers=headers_for(user)
        ),
    )
    assert reply.status_code == 200, reply.json
    reply = measured(
        samples,
        "booking",
        lambda: client.post(
            "/api/appointments/bookings",
            headers=headers_for(user),
            json={"waybill_id": load.waybill_id, "slot_id": slot_id},
        ),
    )
    assert reply.status_code == 201, reply.json
    booking = booking_service.find(reply.json["id"])
    checked = checkin.check_in(booking, actor=checkin.FENCE_ACTOR, at_ms=now_ms(), now_ms=now_ms(), method="auto")
    reply = measured(
        samples, "queue position", lambda: client.get("/api/appointments/bookings/mine", headers=headers_for(user))
    )
    assert reply.json["items"][0]["queue"]["position"] >= 1, reply.json
    reply = measured(
        samples, "hall list", lambda: client.get("/api/hall?lon=110.3&lat=38.9", headers=headers_for(user))
    )
    assert reply.status_code == 200
    measured(samples, "trip resolution", lambda: trip_runner.on_road_for_driver(user.user_id))
    checkin._check_out(checked, now_ms=now_ms(), where=None)
    assert (
        client.post(
            f"/api/appointments/bookings/{booking.booking_id}/cancel", json={}, headers=headers_for(user)
        ).status_code
        == 200
    )
    assert client.post(f"/api/hall/{load.waybill_id}/give-back", json={}, headers=headers_for(user)).status_code == 200


def new_driver(app, depth, *, mine_id):
    """A driver and truck of a new carrier with `depth` settled waybills behind them: (crew, seconds to seed)."""
    from backend.common.clock import now_ms
    from tests.builders import make_org, make_user, make_vehicle

    with app.app_context():
        carrier = make_org("carrier").org_id
        crew = make_user("driver", org_id=carrier), make_vehicle(carrier)
        began = time.perf_counter()
        write_history(
            past_waybills(
                depth,
                mine_id=mine_id,
                driver_id=crew[0].user_id,
                carrier_id=carrier,
                vehicle_id=crew[1].vehicle_id,
                now=now_ms(),
            )
        )
    return crew, time.perf_counter() - began


def run(app, crews, *, mine_id, slot_id, repeats):
    """Rounds interleaved across depths (0, 100, ..., 0, 100, ...), so a busy moment on the machine hits every depth."""
    samples = {depth: {} for depth in crews}
    client = app.test_client()  # not `with`: that would keep the last request's context alive
    with app.app_context():
        for crew in crews.values():
            one_round(client, {}, crew=crew, mine_id=mine_id, slot_id=slot_id)  # warm this driver's paths
        for _ in range(repeats):
            for depth, crew in crews.items():
                one_round(client, samples[depth], crew=crew, mine_id=mine_id, slot_id=slot_id)
    return samples


def table(results, depths):
    """Median calls and ms per step and depth, with the ratio to depth 0."""
    base = depths[0]
    lines = [f"{'step':<16}" + "".join(f"{'depth ' + str(d):>28}" for d in depths)]
    for step in STEPS:
        cells = []
        for d in depths:
            calls = statistics.median(c for c, _ in results[d][step])
            ms = statistics.median(s for _, s in results[d][step]) * 1000
            base_calls = statistics.median(c for c, _ in results[base][step])
            base_ms = statistics.median(s for _, s in results[base][step]) * 1000
            cells.append(
                f"{calls:>4.0f} calls x{calls / base_calls if base_calls else 1:4.2f} {ms:6.1f} ms x{ms / base_ms:4.2f}"
            )
        lines.append(f"{step:<16}" + "".join(f"{c:>28}" for c in cells))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depths", default="0,100,1000,5000")
    parser.add_argument("--mine-history", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    depths = [int(d) for d in args.depths.split(",")]
    hook_every_client()
    store, app = _world.start()
    try:
        from backend.common.clock import now_ms
        from tests.appointments.builders import make_slot
        from tests.orders.helpers import make_mine

        with app.app_context():
            mine_id = make_mine()
            slot_id = make_slot(mine_id, capacity=10_000)
            began = time.perf_counter()
            write_history(past_waybills(args.mine_history, mine_id=mine_id, now=now_ms()))
            print(f"mine history: {args.mine_history} waybills written in {time.perf_counter() - began:.1f} s")
        crews = {}
        for depth in depths:
            crews[depth], seeded = new_driver(app, depth, mine_id=mine_id)
            print(f"depth {depth}: history written in {seeded:.1f} s")
        results = run(app, crews, mine_id=mine_id, slot_id=slot_id, repeats=args.repeats)
        print(f"\nmedian of {args.repeats} per step; x = ratio to depth {depths[0]} (goal: 0.8-1.2)")
        print(table(results, depths))
    finally:
        store.stop()


if __name__ == "__main__":
    main()

"""Live map: bounding-box query latency with 1,000 and with 64,000 vehicles in transit (how the cost grows).

    .venv/bin/python bench/live_map.py [--small 1000] [--large 64000] [--reps 30]

Vehicles on a trip are spread over northern Shaanxi / southern Inner Mongolia (107-112 E, 36-40 N).
Their latest positions (with the geohash cell that the sparse GSI partitions on) and the per-cell
counts are bulk-loaded by BatchWriteItem into an in-memory DynamoDB Local; then the live-map query runs
for a town-sized box (markers), a county-sized box and the whole region (counts per cell).
"""

import argparse
import random
import statistics
import time

import _world

REGION = (107.0, 36.0, 112.0, 40.0)
BOXES = {"town 0.1°": (110.30, 38.85, 110.40, 38.95), "county 0.6°": (110.0, 38.6, 110.6, 39.2), "region 5°": REGION}


def positions(start, count, now_ms, rng):
    from backend.tracking.geohash import encode

    out = []
    for i in range(start, start + count):
        lon, lat = rng.uniform(REGION[0], REGION[2]), rng.uniform(REGION[1], REGION[3])
        out.append(
            (f"veh_b{i:06d}", round(lon, 6), round(lat, 6), encode(lon, lat, 4), now_ms - rng.randint(0, 60_000))
        )
    return out


def load(dynamo, records):
    from backend.tracking.models import Position

    items = [
        {
            "vehicle_id": {"S": v},
            "lon": {"N": str(lon)},
            "lat": {"N": str(lat)},
            "cell": {"S": cell},
            "at_ms": {"N": str(at)},
            "speed_kmh": {"N": "48"},
            "plate": {"S": f"陕K{v[-5:]}"},
            "waybill_id": {"S": f"wb_{v}"},
        }
        for v, lon, lat, cell, at in records
    ]
    _world.batch_put(dynamo, Position.Meta.table_name, items)


def write_counts(dynamo, records):
    """Per-cell totals at each cluster precision, as the ingestion keeps them with ADD."""
    from backend.tracking import store
    from backend.tracking.models import CellCount

    totals = {}
    for _, lon, lat, cell, _ in records:
        for p in store.COUNT_PRECISIONS:
            t = totals.setdefault(f"{p}:{cell[:p]}", [0, 0.0, 0.0])
            t[0] += 1
            t[1] += lon
            t[2] += lat
    items = [
        {"cell": {"S": k}, "vehicles": {"N": str(n)}, "sum_lon": {"N": f"{x:.6f}"}, "sum_lat": {"N": f"{y:.6f}"}}
        for k, (n, x, y) in totals.items()
    ]
    _world.batch_put(dynamo, CellCount.Meta.table_name, items)


def measure(app, reps):
    from backend.tracking import live

    rows = {}
    with app.app_context():
        for name, box in BOXES.items():
            bbox = ",".join(map(str, box))
            live.live_map(bbox=bbox)  # warm
            times, reply = [], None
            for _ in range(reps):
                began = time.perf_counter()
                reply = live.live_map(bbox=bbox)
                times.append((time.perf_counter() - began) * 1000)
            times.sort()
            rows[name] = (
                statistics.median(times),
                times[int(len(times) * 0.95) - 1],
                reply["mode"],
                len(reply["vehicles"]) or len(reply["clusters"]),
                reply["total"],
            )
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=64000)
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args()
    store, app = _world.start()
    try:
        from backend.common.clock import now_ms

        dynamo, rng, now = _world.client(store), random.Random(7), now_ms()
        everyone = positions(0, args.small, now, rng)
        results = {}
        for size in (args.small, args.large):
            added = positions(len(everyone), size - len(everyone), now, rng) if size > len(everyone) else []
            began = time.perf_counter()
            load(dynamo, everyone if size == args.small else added)
            everyone += added
            write_counts(dynamo, everyone)
            print(f"{size} vehicles in transit loaded in {time.perf_counter() - began:.1f} s")
            results[size] = measure(app, args.reps)
        print(f"{'box':<13}{'vehicles':>9}{'mode':>10}{'items':>7}{'in box':>8}{'median ms':>11}{'p95 ms':>9}")
        for size, rows in results.items():
            for name, (median, p95, mode, items, total) in rows.items():
                print(f"{name:<13}{size:>9}{mode:>10}{items:>7}{total:>8}{median:>11.1f}{p95:>9.1f}")
        for name in BOXES:
            grow = results[args.large][name][0] / results[args.small][name][0]
            print(f"{name}: {args.large // args.small}x the vehicles -> {grow:.1f}x the median latency")
    finally:
        store.stop()


if __name__ == "__main__":
    main()

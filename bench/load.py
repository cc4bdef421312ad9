"""Bounded load on loopback: p50/p95/p99 per endpoint at 16/32/64 concurrent clients, error rate, ratio to baselines.

    .venv/bin/python bench/load.py [--levels 16,32,64]

An in-memory DynamoDB Local; the app served by waitress (`backend.serve`, 64 threads) in its own process.
At each level, fresh drivers with trucks grab fresh loads in the hall (each its own: every grab should win),
book the won waybill into a window, ask their queue position, post GPS fixes and list the hall and their
waybills. Two baselines are measured in the same run at the same concurrency: a raw DynamoDB GetItem
(boto3, no app) and a static file from the same server (the app's HTTP path without DynamoDB). Each
endpoint's p50 is printed as a ratio to both. Any non-2xx reply counts as an error (goal: 0).
"""

import argparse
import contextlib
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

import _world  # noqa: E402
import requests  # noqa: E402
from grab_contention import build_world  # noqa: E402

TIMEOUT_S = 10  # a reply later than this counts as an error (and keeps a stuck level from eating the budget)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(concurrency, calls):
    """Run `calls` (each takes a requests.Session and returns a status) from `concurrency` threads.

    One session per thread (a phone is one client with one connection): sessions shared between threads opened
    extra connections until waitress's connection limit made new ones wait in the listen backlog (the 10 s
    timeouts this bench used to show at 64 clients).
    """
    local, sessions, lock = threading.local(), [], threading.Lock()

    def own_session():
        if not hasattr(local, "session"):
            local.session = requests.Session()
            with lock:
                sessions.append(local.session)
        return local.session

    def run(call):
        session = own_session()
        started = time.perf_counter()
        try:
            status = call(session)
        except requests.RequestException:
            status = 0  # no reply in time: an error like any non-2xx
        return (time.perf_counter() - started) * 1000, status

    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(run, calls))
    for session in sessions:
        session.close()
    latencies = [ms for ms, _ in results]
    errors = sum(1 for _, status in results if not 200 <= status < 300)
    return {
        "n": len(results),
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "errors": errors,
    }


def level(app, store, url, concurrency):
    """Every endpoint at one concurrency, on its own fresh crews and loads."""
    from flask_jwt_extended import decode_token

    from backend.common.clock import now_ms
    from tests.appointments.builders import make_slot

    writes, reads = 3 * concurrency, 4 * concurrency
    crews, loads = build_world(app, writes, writes)
    with app.app_context():
        mine = _mine_of(loads[0])
        slot = make_slot(mine, capacity=writes + 1)
        drivers = [decode_token(token)["sub"] for token, _ in crews]
    auth = [{"Authorization": f"Bearer {token}"} for token, _ in crews]
    dynamo = _world.client(store)
    table = app.config["TABLE_PREFIX"] + "waybills"

    def key():
        return {"Idempotency-Key": os.urandom(12).hex()}

    def post(path, body, i):
        return lambda s: s.post(url + path, json=body, headers={**auth[i], **key()}, timeout=TIMEOUT_S).status_code

    def get(path, i):
        return lambda s: s.get(url + path, headers=auth[i % writes], timeout=TIMEOUT_S).status_code

    def get_item(i):
        def call(_):
            dynamo.get_item(TableName=table, Key={"waybill_id": {"S": loads[i % writes]}}, ConsistentRead=True)
            return 200

        return call

    start = now_ms() - 60_000
    plan = [
        ("baseline: raw GetItem", [get_item(i) for i in range(reads)]),
        (
            "baseline: static file",
            [lambda s: s.get(url + "/manifest.webmanifest", timeout=TIMEOUT_S).status_code] * reads,
        ),
        ("hall list", [get("/api/hall?limit=20", i) for i in range(reads)]),
        ("grab", [post(f"/api/hall/{loads[i]}/grab", {"vehicle_id": crews[i][1]}, i) for i in range(writes)]),
        (
            "booking",
            [post("/api/appointments/bookings", {"waybill_id": loads[i], "slot_id": slot}, i) for i in range(writes)],
        ),
        ("queue position", [get("/api/appointments/bookings/mine", i) for i in range(reads)]),
        (
            "fix ingest",
            [
                post("/api/tracking/fixes", {"waybill_id": loads[i], "fixes": _fixes(start, i)}, i)
                for i in range(writes)
            ],
        ),
        ("waybill list", [get("/api/waybills?limit=20", i) for i in range(reads)]),
    ]
    assert len(set(drivers)) == writes
    return [(name, measure(concurrency, calls)) for name, calls in plan]


def _fixes(start, i):
    return [{"lon": 110.3 + k * 1e-4, "lat": 38.9, "at_ms": start + k * 1000, "speed_kmh": 40.0} for k in range(5)]


def _mine_of(waybill_id):
    from backend.waybills import service as waybills

    return waybills.get(waybill_id).mine_id


@contextlib.contextmanager
def served(threads=16, prepare=None):
    """(store, app, url): an in-memory store, `prepare(app)` run, the app served; all stopped on the way out."""
    store, app = _world.start()
    process = None
    try:
        if prepare:
            prepare(app)
        process, url = _world.serve_in_subprocess(dict(os.environ), threads=threads)
        yield store, app, url
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
        store.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="16,32,64")
    args = parser.parse_args()
    began = time.monotonic()
    with served(threads=64) as (store, app, url):
        crews, _ = build_world(app, 1, 0)
        _world.warm_up(url, crews[0][0], threads=64)
        total_errors = 0
        for concurrency in [int(c) for c in args.levels.split(",")]:
            rows = level(app, store, url, concurrency)
            raw, static = rows[0][1]["p50"], rows[1][1]["p50"]
            print(f"\n{concurrency} concurrent clients")
            print(
                f"{'endpoint':24} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
                f"{'p50/GetItem':>12} {'p50/static':>11}"
            )
            for name, row in rows:
                total_errors += row["errors"]
                print(
                    f"{name:24} {row['n']:5d} {row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f} "
                    f"{row['errors'] / row['n']:7.1%} {row['p50'] / raw:12.1f} {row['p50'] / static:11.1f}"
                )
        print(f"\nerrors: {total_errors} (goal 0); {time.monotonic() - began:.0f} s in all")


if __name__ == "__main__":
    main()

"""Sighting → decision latency on DynamoDB Local (in memory) against the bare DB reads it needs.

Run from the repo root: ``.venv/bin/python bench/score_sighting.py [--n 200]``. Starts its own
in-memory DynamoDB Local, loads the demo data, registers a truck with a fresh GPS fix, then times
in the same run: (1) the full decision — store the read, gather, features, ONNX score, signals,
store the verdict, try to pair; (2) only the DynamoDB reads that decision makes; (3) one ONNX row.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

os.environ.setdefault("JWT_SECRET_KEY", "bench-jwt-secret-0123456789abcdef0123")
os.environ.setdefault("DEVICE_MASTER_KEY", "bench-device-master-0123456789abcdef")
os.environ.setdefault("SECRET_SEAL_KEY", "bench-secret-seal-0123456789abcdef")
os.environ.setdefault("GATE_PASS_KEY", "bench-gate-pass-0123456789abcdef")
os.environ.setdefault("TABLE_PREFIX", "bench-")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from backend.localstore.dynamodb_local import DynamoDBLocal, use_local_credentials  # noqa: E402


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed_ms(fn, n):
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def setup():
    """The app on a fresh store with the demo world, a gate camera and a truck at the gate."""
    from backend.accounts import store as accounts_store
    from backend.accounts.models import Vehicle
    from backend.app import create_app
    from backend.common.clock import now_ms
    from backend.db import create_tables
    from backend.devices import service as devices_service
    from backend.seed.load import load_demo
    from backend.tables import ALL_MODELS
    from backend.tracking import store as tracking_store

    app = create_app()
    ctx = app.app_context()
    ctx.push()
    create_tables(ALL_MODELS)
    load_demo(now_ms())
    camera, _ = devices_service.register_device(
        kind="camera", name="bench", mine_id="mine_hll", master_key=app.config["DEVICE_MASTER_KEY"], now_ms=now_ms()
    )
    vehicle = accounts_store.create_vehicle(
        Vehicle(
            "veh_bench",
            carrier_id="org_car_sd",
            plate="陕K8B0D8",
            plate_color="yellow",
            axles=6,
            tare_kg=15000,
            rated_load_kg=34000,
            terminal_id="Tbench",
            created_at=now_ms(),
            updated_at=now_ms(),
        )
    )
    tracking_store.write_fixes(
        [
            {
                "vehicle_id": vehicle.vehicle_id,
                "at_ms": now_ms() - 30_000,
                "lon": 110.331,
                "lat": 38.933,
                "source": "terminal",
            }
        ],
        retention_days=1,
    )
    return camera, vehicle


def decision(camera, plate):
    from backend.common.clock import now_ms
    from backend.gate import service

    at = now_ms()
    read = {
        "plate": plate,
        "plate_color": "yellow",
        "confidence": 95.0,
        "vehicle_color": None,
        "vehicle_type": None,
        "at": at,
        "image_ref": None,
        "lane": "bench",
        "direction": "in",
        "source": "json",
    }
    service.record_sighting(read=read, device=camera, now_ms=at)


def bare_reads(vehicle, plate):
    """The same DynamoDB round trips, with no feature, model or write work."""
    from backend.accounts import service as accounts_service
    from backend.common.clock import now_ms
    from backend.gate import store
    from backend.risk.features import HISTORY_MS, HISTORY_READS, PRIOR_FIX_BACK_MS, lookalike_variants
    from backend.waybills import service as waybills

    at = now_ms()
    accounts_service.find_vehicle_by_plate(plate)
    store.plate_sightings(plate, since=at - HISTORY_MS, before=at, limit=HISTORY_READS)
    waybills.vehicle_waybills_at_mine(
        mine_id="mine_hll",
        vehicle_id=vehicle.vehicle_id,
        plate=plate,
        states=("called", "held"),
        since_ms=at - 3 * 86400_000,
        limit=1,
    )
    fix = store.last_fix_before(vehicle.vehicle_id, at_ms=at)
    store.last_fix_before(vehicle.vehicle_id, at_ms=int(fix.at_ms) - PRIOR_FIX_BACK_MS)
    store.recent_tares(vehicle.vehicle_id)
    accounts_service.plate_owners(sorted(lookalike_variants(plate)))
    store.unpaired_scans("mine_hll#bench", since=at - 120_000, until=at + 120_000)


def misread(camera, plate):
    """An unknown read one confusion (8→B) from the registered plate: resolution's extra reads."""
    decision(camera, plate[:-1] + ("B" if plate[-1] == "8" else "8"))


def onnx_row():
    from backend.risk import model

    features = {
        "fix_distance_m": 120.0,
        "fix_age_s": 30.0,
        "fix_implied_speed_kmh": 0.0,
        "read_confidence": 95.0,
        "distinct_gates_6h": 1.0,
        "is_night": 0.0,
        "active_waybill_at_mine": 1.0,
    }
    return lambda: model.score(features)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    use_local_credentials()
    db = DynamoDBLocal().start()
    os.environ.update(DYNAMODB_HOST=db.endpoint, AWS_REGION=os.environ["AWS_DEFAULT_REGION"])
    try:
        camera, vehicle = setup()
        plate = vehicle.plate
        for _ in range(10):  # warm: ONNX session, connection pool, gate cache
            decision(camera, plate)
            bare_reads(vehicle, plate)
        # Interleave so both see the same machine load (two shared cores).
        full, reads, misreads = [], [], []
        for _ in range(args.n):
            full += timed_ms(lambda: decision(camera, plate), 1)
            reads += timed_ms(lambda: bare_reads(vehicle, plate), 1)
            misreads += timed_ms(lambda: misread(camera, plate), 1)
        onnx = [t * 1000 for t in timed_ms(onnx_row(), 2000)]
    finally:
        db.stop()
    p50, p95 = pct(full, 0.5), pct(full, 0.95)
    r50, r95 = pct(reads, 0.5), pct(reads, 0.95)
    print(f"sighting -> decision  n={args.n}  p50 {p50:.1f} ms  p95 {p95:.1f} ms")
    print(f"bare DB reads         n={args.n}  p50 {r50:.1f} ms  p95 {r95:.1f} ms")
    print(f"ratio decision / reads           p50 {p50 / r50:.2f}x  p95 {p95 / r95:.2f}x")
    m50, m95 = pct(misreads, 0.5), pct(misreads, 0.95)
    print(f"misread -> resolved   n={args.n}  p50 {m50:.1f} ms  p95 {m95:.1f} ms")
    print(f"ratio misread / decision         p50 {m50 / p50:.2f}x  p95 {m95 / p95:.2f}x")
    print(
        f"ONNX single row      n=2000  p50 {pct(onnx, 0.5):.0f} µs  p95 {pct(onnx, 0.95):.0f} µs  "
        f"mean {statistics.mean(onnx):.0f} µs"
    )


if __name__ == "__main__":
    main()

"""Fix ingestion: fixes/s through the HTTP batch endpoint (waitress on loopback) vs raw BatchWriteItem, same run.

    .venv/bin/python bench/ingest.py [--vehicles 64000] [--trips 8] [--batch 500] [--batches-per-trip 2]

64,000 vehicles are registered by BatchWrite into an in-memory DynamoDB Local; `trips` of them get a
driver and a waybill in transit. Each driver's phone posts batches of fixes (500 a request) from its own
client thread; then the same fix items are written raw with BatchWriteItem (25 a call, as many threads).
The HTTP path does everything a real request does: JWT, Idempotency-Key, validation, the de-dup
lookup, BatchWrite with retries, the trip rules, the appointments check-in consumer, the latest position.
The HTTP path is measured twice: with the appointments check-in consumer (it reads bookings per fix)
on a few requests, and without it, so the ingestion's own cost is visible beside the consumer's.
"""
import argparse
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import _world
import requests


def make_trips(app, count, now_ms):
    """`count` drivers with a waybill in transit on the first vehicles; returns (waybill id, vehicle id, token)."""
    from flask_jwt_extended import create_access_token

    from backend.seed.geo import rectangle
    from backend.waybills import store as waybill_store
    from backend.waybills.models import Waybill
    trips = []
    with app.app_context():
        for i in range(count):
            driver_id, vehicle_id = f"u_bdrv{i}", f"veh_b{i:06d}"
            waybill = Waybill(f"wb_bench{i}", state="in_transit", mine_id="mine_hll", product_id="raw", tonnage_kg=34000,
                              driver_id=driver_id, vehicle_id=vehicle_id, carrier_id=f"org_b{i % 250:03d}",
                              destination={"address": "x", "point": {"type": "Point", "coordinates": [111.5, 38.0]},
                                           "polygon": rectangle(111.5, 38.0, 600, 400)},
                              net_kg=34000, created_at=now_ms, updated_at=now_ms)
            waybill_store.create(waybill)
            token = create_access_token(identity=driver_id, additional_claims={"role": "driver", "org_id": None,
                                                                               "mine_id": None, "name": "bench"})
            trips.append((waybill.waybill_id, vehicle_id, token))
    return trips


def fixes_for(index, batch_no, size, start_ms):
    base = start_ms + batch_no * size * 1000
    return [{"lon": 110.33 + index * 0.001 + k * 0.0001, "lat": 38.93 - k * 0.00005, "at_ms": base + k * 1000,
             "speed_kmh": 48.0, "accuracy_m": 8.0} for k in range(size)]


def serve(app):
    from waitress.server import create_server
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def run_http(url, trips, batches, size, start_ms):
    def drive(args):
        index, (waybill_id, _, token) = args
        session = requests.Session()
        for b in range(batches):
            reply = session.post(url + "/api/tracking/fixes", json={"waybill_id": waybill_id,
                                                                     "fixes": fixes_for(index, b, size, start_ms)},
                                 headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex})
            assert reply.status_code == 200 and reply.json()["accepted"] == size, reply.text[:300]

    began = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(drive, enumerate(trips)))
    return time.perf_counter() - began


def run_raw(dynamo, table, trips, batches, size, start_ms):
    items = []
    for index, (_, vehicle_id, _) in enumerate(trips):
        for b in range(batches):
            for f in fixes_for(index, b, size, start_ms - 10 ** 9):  # other keys: really new items, like the HTTP run
                items.append({"vehicle_id": {"S": vehicle_id}, "at_ms": {"N": str(f["at_ms"])},
                              "lon": {"N": str(f["lon"])}, "lat": {"N": str(f["lat"])},
                              "speed_kmh": {"N": "48.0"}, "accuracy_m": {"N": "8.0"}, "source": {"S": "phone"},
                              "expires_at": {"N": str(f["at_ms"] // 1000 + 180 * 86400)}})
    began = time.perf_counter()
    _world.batch_put(dynamo, table, items)
    return time.perf_counter() - began, len(items)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vehicles", type=int, default=64000)
    parser.add_argument("--trips", type=int, default=8)
    parser.add_argument("--checkin-requests", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--batches-per-trip", type=int, default=2)
    args = parser.parse_args()
    store, app = _world.start()
    try:
        from backend.common.clock import now_ms
        from backend.tracking.models import Fix
        from backend.accounts.models import Vehicle
        dynamo, now = _world.client(store), now_ms()
        began = time.perf_counter()
        _world.batch_put(dynamo, Vehicle.Meta.table_name, _world.vehicle_items(args.vehicles, now))
        print(f"registered {args.vehicles} vehicles by BatchWrite in {time.perf_counter() - began:.1f} s")
        trips = make_trips(app, args.trips, now)
        server, url = serve(app)
        start_ms = now - 3 * 3600_000
        checkin_trips, trips = trips[:args.checkin_requests], trips[args.checkin_requests:]
        with_checkin_s = run_http(url, checkin_trips, 1, args.batch, start_ms)
        from backend.tracking import consumers
        consumers.CONSUMERS[:] = []  # same process as the server: the next requests skip the check-in
        total = len(trips) * args.batches_per_trip * args.batch
        http_s = run_http(url, trips, args.batches_per_trip, args.batch, start_ms)
        raw_s, raw_n = run_raw(dynamo, Fix.Meta.table_name, trips, args.batches_per_trip, args.batch, start_ms)
        server.close()
        checkin_fps, http_fps, raw_fps = len(checkin_trips) * args.batch / with_checkin_s, total / http_s, raw_n / raw_s
        print(f"HTTP batch endpoint, with check-in consumer: {len(checkin_trips) * args.batch} fixes in "
              f"{with_checkin_s:.2f} s = {checkin_fps:,.0f} fixes/s ({len(checkin_trips)} requests of {args.batch})")
        print(f"HTTP batch endpoint, ingestion only:         {total} fixes in {http_s:.2f} s = {http_fps:,.0f} fixes/s "
              f"({len(trips) * args.batches_per_trip} requests of {args.batch})")
        print(f"raw BatchWriteItem of the same items:        {raw_n} fixes in {raw_s:.2f} s = {raw_fps:,.0f} fixes/s")
        print(f"ratio HTTP / raw = {http_fps / raw_fps:.2f} (ingestion only), {checkin_fps / raw_fps:.3f} (with check-in)")
    finally:
        store.stop()


if __name__ == "__main__":
    main()

"""Fix ingestion with check-in on a warm server vs raw BatchWriteItem of one item per fix, same run.

    .venv/bin/python bench/ingest.py [--vehicles 64000] [--trips 8] [--batch 500] [--batches-per-trip 2] [--threads 4]

`vehicles` trucks are registered by BatchWrite into an in-memory DynamoDB Local; `trips` of them get a
driver and a waybill in transit. The app is served by waitress in this process and warmed with one small
batch per driver; then each driver's phone posts `batches-per-trip` batches of `batch` fixes (one a
second), from `threads` client threads with keep-alive sessions (the server has as many threads).
Each request does everything a real one does: JWT, Idempotency-Key, validation, the packed minute
writes (replays drop out), the trip rules, the appointments check-in consumer and the gate's late-fix
consumer, the latest position.
The baseline writes the same number of fixes the way they were stored before, one item each, with raw
BatchWriteItem (25 a call) from as many threads as the HTTP side: the same concurrency on both sides.
Writes to the fix store are counted with a botocore event hook, with the write units DynamoDB reports
for them (ReturnConsumedCapacity).
`--batch 15 --batches-per-trip 20` is the PWA's cadence (a batch every 15 s): fewer fixes share each write.
"""

import argparse
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import _world
import requests

RAW_TABLE = "fixes_raw"  # the per-fix layout of before, for the baseline only


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
            waybill = Waybill(
                f"wb_bench{i}",
                state="in_transit",
                mine_id="mine_hll",
                product_id="raw",
                tonnage_kg=34000,
                driver_id=driver_id,
                vehicle_id=vehicle_id,
                carrier_id=f"org_b{i % 250:03d}",
                destination={
                    "address": "x",
                    "point": {"type": "Point", "coordinates": [111.5, 38.0]},
                    "polygon": rectangle(111.5, 38.0, 600, 400),
                },
                net_kg=34000,
                created_at=now_ms,
                updated_at=now_ms,
            )
            waybill_store.create(waybill)
            token = create_access_token(
                identity=driver_id,
                additional_claims={"role": "driver", "org_id": None, "mine_id": None, "name": "bench"},
            )
            trips.append((waybill.waybill_id, vehicle_id, token))
    return trips


def fixes_for(index, batch_no, size, start_ms):
    base = start_ms + batch_no * size * 1000
    return [
        {
            "lon": 110.33 + index * 0.001 + k * 0.0001,
            "lat": 38.93 - k * 0.00005,
            "at_ms": base + k * 1000,
            "speed_kmh": 48.0,
            "accuracy_m": 8.0,
        }
        for k in range(size)
    ]


def serve(app, threads):
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def run_http(url, trips, batches, size, start_ms, threads):
    def drive(args):
        index, (waybill_id, _, token) = args
        session = requests.Session()
        for b in range(batches):
            reply = session.post(
                url + "/api/tracking/fixes",
                json={"waybill_id": waybill_id, "fixes": fixes_for(index, b, size, start_ms)},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
            )
            assert reply.status_code == 200 and reply.json()["accepted"] == size, reply.text[:300]

    began = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(drive, enumerate(trips)))
    return time.perf_counter() - began


class FixWrites:
    """Counts write calls to one table, and the write units DynamoDB reports for them (a botocore event hook)."""

    OPERATIONS = ("PutItem", "UpdateItem", "BatchWriteItem")

    def __init__(self, client, table):
        self.table, self.calls, self.units, self.lock = table, 0, 0.0, threading.Lock()
        for operation in self.OPERATIONS:
            client.meta.events.register(f"before-parameter-build.dynamodb.{operation}", self._before)
            client.meta.events.register(f"after-call.dynamodb.{operation}", self._after)

    def _before(self, params, **_):
        if params.get("TableName") == self.table:
            params["ReturnConsumedCapacity"] = "TOTAL"
            with self.lock:
                self.calls += 1

    def _after(self, parsed, **_):
        capacity = parsed.get("ConsumedCapacity")
        if isinstance(capacity, dict) and capacity.get("TableName") == self.table:
            with self.lock:
                self.units += capacity.get("CapacityUnits", 0)

    def reset(self):
        with self.lock:
            self.calls, self.units = 0, 0.0


def run_raw(dynamo, table, trips, batches, size, start_ms, threads):
    """The same fixes as one item each, written by raw BatchWriteItem: (seconds, items)."""
    dynamo.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "vehicle_id", "AttributeType": "S"},
            {"AttributeName": "at_ms", "AttributeType": "N"},
        ],
        KeySchema=[{"AttributeName": "vehicle_id", "KeyType": "HASH"}, {"AttributeName": "at_ms", "KeyType": "RANGE"}],
    )
    items = []
    for index, (_, vehicle_id, _) in enumerate(trips):
        for b in range(batches):
            for f in fixes_for(index, b, size, start_ms):
                items.append(
                    {
                        "vehicle_id": {"S": vehicle_id},
                        "at_ms": {"N": str(f["at_ms"])},
                        "lon": {"N": str(f["lon"])},
                        "lat": {"N": str(f["lat"])},
                        "speed_kmh": {"N": "48.0"},
                        "accuracy_m": {"N": "8.0"},
                        "source": {"S": "phone"},
                        "expires_at": {"N": str(f["at_ms"] // 1000 + 180 * 86400)},
                    }
                )
    began = time.perf_counter()
    _world.batch_put(dynamo, table, items, threads=threads)
    return time.perf_counter() - began, len(items)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vehicles", type=int, default=64000)
    parser.add_argument("--trips", type=int, default=8)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--batches-per-trip", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="client threads on each side (and server threads)")
    args = parser.parse_args()
    store, app = _world.start()
    try:
        from backend.accounts.models import Vehicle
        from backend.common.clock import now_ms
        from backend.tracking.models import FixMinute

        dynamo, now = _world.client(store), now_ms()
        began = time.perf_counter()
        _world.batch_put(dynamo, Vehicle.Meta.table_name, _world.vehicle_items(args.vehicles, now))
        print(f"registered {args.vehicles} vehicles by BatchWrite in {time.perf_counter() - began:.1f} s")
        trips = make_trips(app, args.trips, now)
        server, url = serve(app, args.threads)
        start_ms = now - 3 * 3600_000
        run_http(
            url, trips, 1, 10, start_ms - 3600_000, args.threads
        )  # warm: clients, pools, JWT keys, first-request paths
        writes = FixWrites(FixMinute._get_connection().connection.client, FixMinute.Meta.table_name)
        writes.reset()
        http_s = run_http(url, trips, args.batches_per_trip, args.batch, start_ms, args.threads)
        server.close()
        total = len(trips) * args.batches_per_trip * args.batch
        raw_s, raw_n = run_raw(
            dynamo,
            _world.ENV["TABLE_PREFIX"] + RAW_TABLE,
            trips,
            args.batches_per_trip,
            args.batch,
            start_ms,
            args.threads,
        )
        http_fps, raw_fps = total / http_s, raw_n / raw_s
        print(
            f"HTTP ingest with check-in, warm server: {total} fixes in {http_s:.2f} s = {http_fps:,.0f} fixes/s "
            f"({len(trips) * args.batches_per_trip} requests of {args.batch})"
        )
        print(f"raw BatchWriteItem, one item a fix:     {raw_n} items in {raw_s:.2f} s = {raw_fps:,.0f} items/s")
        print(f"ratio HTTP / raw = {http_fps / raw_fps:.2f} (goal >= 0.7), {args.threads} client threads a side")
        per_k = 1000 / total
        before, after, units = raw_n * per_k, writes.calls * per_k, writes.units * per_k
        print(
            f"writes per 1,000 fixes: before {before:.0f} (one item a fix, {before / 25:.0f} BatchWriteItem calls), "
            f"after {after:.1f} (one per minute a batch touches) = {before / after:.0f}x fewer"
        )
        print(
            f"write units per 1,000 fixes: before {before:.0f} (each item < 1 KB), after {units:.0f} "
            f"= {before / units:.1f}x fewer"
        )
    finally:
        store.stop()


if __name__ == "__main__":
    main()

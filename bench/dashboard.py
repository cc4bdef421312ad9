"""Command centre: dashboard latency and DynamoDB calls by history size, stream handler throughput vs raw writes.

    .venv/bin/python bench/dashboard.py [--requests 20] [--records 1000]

One in-memory DynamoDB Local. Dashboard: two histories of aggregates, "1k waybills" (7 days, 5 mines, 20
shippers, 20 carriers) and "100k waybills" (90 days, 20 mines, 200 shippers, 300 carriers on the last day);
each theme asked `--requests` times per history (in process, Flask test client), calls counted per request.
Prints p50/p95 and calls per history and the ratio large/small (goal: calls equal, latency within ±20 %,
p95 <= 300 ms). Stream: `--records` waybill changes (each a different truck, released at one of 10 mines)
counted by the stream handler into the aggregates vs the same records written raw as the app writes them
(one PutItem each); prints both rates and handler/raw (goal >= 0.5).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _world  # noqa: E402
from tests import callcount  # noqa: E402  (the botocore hook the tests count calls with)

THEMES = ("capacity", "dispatch", "customers", "in_transit")
TO = date(2026, 6, 30)


def seed(tag, days, mines, shippers, carriers):
    """Aggregate items as `days` x parties of history would leave them; returns the first mine's id."""
    from backend.analytics import store

    items = {}
    mine_ids = [f"{tag}-m{i}" for i in range(mines)]
    for d in range(days):
        day = (TO - timedelta(days=d)).isoformat()
        for mine in mine_ids:
            items[(f"mine#{mine}", f"d#{day}")] = {"loaded": 40 + d % 7, "out_kg": 1_200_000, "planned": 45}
    for kind, count in (("shipper", shippers), ("carrier", carriers)):
        for i in range(count):
            items[(f"{kind}#{tag}-{kind[0]}{i}", f"d#{TO}")] = {"planned": 5, "delivered": 4, "loaded": 4}
    for h in range(24):
        items[(f"mine#{mine_ids[0]}", f"h#{TO}T{h:02d}")] = {"loaded": 3, "out_kg": 90_000}
    keys = list(items)
    for i in range(0, len(keys), 500):
        store.replace({k: items[k] for k in keys[i : i + 500]}, 0)
    return mine_ids[0]


def measure_dashboard(client, headers, mine_id, requests):
    times, calls = [], set()
    start = (TO - timedelta(days=89)).isoformat()
    for _ in range(requests):
        for theme in THEMES:
            path = f"/api/analytics/dashboard?theme={theme}&date_from={start}&date_to={TO}&mine_id={mine_id}"
            with callcount.count_calls() as counted:
                began = time.perf_counter()
                reply = client.get(path, headers=headers)
                times.append(time.perf_counter() - began)
            assert reply.status_code == 200, reply.json
            calls.add(len(counted))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], sorted(calls)


def stream_records(count):
    from boto3.dynamodb.types import TypeSerializer

    dump = lambda image: {k: TypeSerializer().serialize(v) for k, v in image.items()}  # noqa: E731
    at = 1_782_000_000_000
    arn = "arn:aws:dynamodb:ddblocal:000000000000:table/bench-waybills/stream/x"
    records, items = [], []
    for i in range(count):
        base = {
            "waybill_id": f"wb-bench-{i}",
            "mine_id": f"m{i % 10}",
            "shipper_id": f"s{i % 40}",
            "carrier_id": f"c{i % 60}",
            "driver_id": f"d{i}",
            "product_id": "p",
            "tonnage_kg": 32000,
            "version": 8,
            "created_at": at,
            "updated_at": at + i,
        }
        new, old = {**base, "state": "released", "net_kg": 31000}, {**base, "state": "gross_weighed"}
        records.append(
            {
                "eventName": "MODIFY",
                "eventSourceARN": arn,
                "dynamodb": {"SequenceNumber": str(10**20 + i), "NewImage": dump(new), "OldImage": dump(old)},
            }
        )
        items.append(new)
    return records, items


def measure_stream(count):
    from backend.analytics import service
    from backend.waybills.models import Waybill

    records, items = stream_records(count)
    began = time.perf_counter()
    for waybill in items:  # the app writes each change as its own request
        Waybill(**waybill).save()
    raw = count / (time.perf_counter() - began)
    began = time.perf_counter()
    for i in range(0, count, 100):  # Lambda's batch size in zappa_settings.json
        service.count_stream_records(records[i : i + 100], now_ms=1)
    handled = count / (time.perf_counter() - began)
    again = service.count_stream_records(records[:100], now_ms=1)
    return raw, handled, again


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--records", type=int, default=1000)
    args = parser.parse_args()
    store, app = _world.start()
    try:
        from tests.builders import headers_for, make_user

        with app.app_context():
            small = seed("small", 7, 5, 20, 20)
            large = seed("large", 90, 20, 200, 300)
            headers = headers_for(make_user("dispatcher"))
        client = app.test_client()
        measure_dashboard(client, headers, small, 2)  # warm the process before measuring either
        rows = {}
        for name, mine in (("1k waybills", small), ("100k waybills", large)):
            rows[name] = measure_dashboard(client, headers, mine, args.requests)
            p50, p95, calls = rows[name]
            print(f"dashboard {name:>14}: p50 {p50 * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  DynamoDB calls {calls}")
        (s50, s95, scalls), (l50, l95, lcalls) = rows["1k waybills"], rows["100k waybills"]
        print(
            f"dashboard ratio 100k/1k: p50 {l50 / s50:.2f}  p95 {l95 / s95:.2f}  calls {max(lcalls) / max(scalls):.2f}"
        )
        with app.app_context():
            raw, handled, again = measure_stream(args.records)
        print(
            f"stream: raw writes {raw:7.0f} records/s  handler {handled:7.0f} records/s  "
            f"ratio handler/raw {handled / raw:.2f}"
        )
        print(f"stream: a redelivered batch of 100 counted {again['counted']}, skipped {again['skipped']}")
    finally:
        store.stop()


if __name__ == "__main__":
    main()

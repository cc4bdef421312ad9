"""Command centre: dashboard latency and DynamoDB calls by history size, stream handler throughput vs raw writes.

    .venv/bin/python bench/dashboard.py [--requests 20] [--records 1000]

One in-memory DynamoDB Local. Dashboard: two histories of aggregates, "1k waybills" (90 days at 2 mines, ~6
loads a day, 20 shippers, 20 carriers) and "1M waybills" (365 days at 30 mines, 90 loads a day each: 985k
waybills, 2000 shippers and 1000 carriers on the last day); the same question of each (a mine's last 90 days,
every theme) asked `--requests` times per history (in process, Flask test client), calls counted per request.
Prints p50/p95 and calls per history and the ratio large/small (goal: calls equal, latency flat, p95 <= 300 ms).
Stream: `--records` changes of the kinds the aggregates count (a waybill released from the gate, a booking
reaching the gate, a window's seat taken; each a different item) counted by the stream handler in Lambda's
batches of 100 vs the same items written raw as the app writes them (one PutItem each); prints both rates,
p50/p95 per batch of 100 for each, and handler/raw (goal >= 0.5).
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


def seed(tag, days, mines, shippers, carriers, loads):
    """Aggregate items as `days` x parties of history would leave them; returns the first mine's id."""
    from backend.analytics import store

    items = {}
    mine_ids = [f"{tag}-m{i}" for i in range(mines)]
    for d in range(days):
        day = (TO - timedelta(days=d)).isoformat()
        for mine in mine_ids:
            counts = {
                "loaded": loads - d % 3,
                "out_kg": loads * 31_000,
                "planned": loads,
                "capacity_kg": loads * 32_000,
            }
            counts |= {"queued": loads, "queue_ms": loads * 1_800_000, "seats_offered": loads + 4, "seats_taken": loads}
            items[(f"mine#{mine}", f"d#{day}")] = counts
    for kind, count in (("shipper", shippers), ("carrier", carriers)):
        for i in range(count):
            items[(f"{kind}#{tag}-{kind[0]}{i}", f"d#{TO}")] = {"planned": 5, "delivered": 4, "loaded": 4}
    for h in range(24):
        items[(f"mine#{mine_ids[0]}", f"h#{TO}T{h:02d}")] = {"loaded": 3, "out_kg": 90_000}
    keys = list(items)
    for i in range(0, len(keys), 500):
        store.replace({k: items[k] for k in keys[i : i + 500]}, 0)
    return mine_ids[0]


def measure_round(client, headers, mine_id, times, calls):
    """Every theme once for a mine's last 90 days: latencies and DynamoDB call counts added to the lists."""
    start = (TO - timedelta(days=89)).isoformat()
    for theme in THEMES:
        path = f"/api/analytics/dashboard?theme={theme}&date_from={start}&date_to={TO}&mine_id={mine_id}"
        with callcount.count_calls() as counted:
            began = time.perf_counter()
            reply = client.get(path, headers=headers)
            times.append(time.perf_counter() - began)
        assert reply.status_code == 200, reply.json
        calls.add(len(counted))


def p50_p95(times):
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def _change(i, at):
    """(table, new image, old image) of one counted change: a waybill released, a booking entered, a seat taken."""
    mine = f"m{i % 10}"
    if i % 3 == 0:
        base = {"waybill_id": f"wb-bench-{i}", "mine_id": mine, "shipper_id": f"s{i % 40}", "carrier_id": f"c{i % 60}"}
        base |= {"driver_id": f"d{i}", "product_id": "p", "tonnage_kg": 32000, "version": 8, "created_at": at}
        old = {**base, "state": "gross_weighed", "updated_at": at + i - 240_000}
        return "waybills", {**base, "state": "released", "net_kg": 31000, "updated_at": at + i}, old
    if i % 3 == 1:
        base = {"booking_id": f"bk-bench-{i}", "waybill_id": f"wb-bench-{i}", "driver_id": f"d{i}", "vehicle_id": "v"}
        base |= {"mine_id": mine, "slot_id": "s", "slot_start_ms": at - 3_600_000, "slot_end_ms": at + 3_600_000}
        base |= {"checked_in_at": at - 600_000, "created_at": at - 7_200_000}
        return (
            "bookings",
            {**base, "status": "entered", "updated_at": at + i},
            {**base, "status": "active"} | {"updated_at": at - 600_000},
        )
    base = {"mine_id": mine, "start_ms": at + i * 3_600_000, "end_ms": at + i * 3_600_000 + 3_600_000}
    base |= {"date": "2026-06-30", "capacity": 12, "created_at": at, "updated_at": at}
    return "slots", {**base, "booked": 4}, {**base, "booked": 3}


def stream_records(count):
    """Stream records as DynamoDB Streams delivers them, and the items the app writes for the same changes."""
    from boto3.dynamodb.types import TypeSerializer

    dump = lambda image: {k: TypeSerializer().serialize(v) for k, v in image.items()}  # noqa: E731
    at = 1_782_000_000_000
    records, items = [], []
    for i in range(count):
        table, new, old = _change(i, at)
        arn = f"arn:aws:dynamodb:ddblocal:000000000000:table/bench-{table}/stream/x"
        records.append(
            {
                "eventName": "MODIFY",
                "eventSource": "aws:dynamodb",
                "eventSourceARN": arn,
                "dynamodb": {"SequenceNumber": str(10**20 + i), "NewImage": dump(new), "OldImage": dump(old)},
            }
        )
        items.append((table, new))
    return records, items


def measure_stream(count):
    """(raw records/s, handler records/s, raw p50/p95 per 100, handler p50/p95 per 100, a redelivery's result)."""
    from backend.analytics import service
    from backend.appointments.booking.models import Booking
    from backend.appointments.windows.models import Slot
    from backend.waybills.models import Waybill

    models = {"waybills": Waybill, "bookings": Booking, "slots": Slot}
    records, items = stream_records(count)
    raw_times, handled_times = [], []
    for i in range(0, count, 100):  # the app writes each change as its own request
        began = time.perf_counter()
        for table, item in items[i : i + 100]:
            models[table](**item).save()
        raw_times.append(time.perf_counter() - began)
    for i in range(0, count, 100):  # Lambda's batch size (infra's event source mappings)
        began = time.perf_counter()
        service.count_stream_records(records[i : i + 100], now_ms=1)
        handled_times.append(time.perf_counter() - began)
    again = service.count_stream_records(records[:100], now_ms=1)
    raw, handled = count / sum(raw_times), count / sum(handled_times)
    return raw, handled, p50_p95(raw_times), p50_p95(handled_times), again


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--records", type=int, default=1000)
    args = parser.parse_args()
    store, app = _world.start()
    try:
        from tests.builders import headers_for, make_user

        with app.app_context():
            small = seed("small", 90, 2, 20, 20, 6)
            large = seed("large", 365, 30, 2000, 1000, 90)
            headers = headers_for(make_user("dispatcher"))
        client = app.test_client()
        histories = {"1k waybills": small, "1M waybills": large}
        for mine in histories.values():  # warm the process (and each history's pages) before measuring either
            measure_round(client, headers, mine, [], set())
        samples = {name: ([], set()) for name in histories}
        for _ in range(args.requests):  # rounds alternate, so a busy moment of the machine hits both alike
            for name, mine in histories.items():
                measure_round(client, headers, mine, *samples[name])
        rows = {}
        for name, (times, calls) in samples.items():
            rows[name] = p50_p95(times) + (sorted(calls),)
            p50, p95, calls = rows[name]
            print(f"dashboard {name:>14}: p50 {p50 * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  DynamoDB calls {calls}")
        (s50, s95, scalls), (l50, l95, lcalls) = rows["1k waybills"], rows["1M waybills"]
        print(f"dashboard ratio 1M/1k: p50 {l50 / s50:.2f}  p95 {l95 / s95:.2f}  calls {max(lcalls) / max(scalls):.2f}")
        with app.app_context():
            raw, handled, (r50, r95), (h50, h95), again = measure_stream(args.records)
        print(
            f"stream: raw writes {raw:7.0f} records/s (per 100: p50 {r50 * 1000:.0f} ms, p95 {r95 * 1000:.0f} ms)  "
            f"handler {handled:7.0f} records/s (per 100: p50 {h50 * 1000:.0f} ms, p95 {h95 * 1000:.0f} ms)"
        )
        print(f"stream: ratio handler/raw {handled / raw:.2f} (goal >= 0.5)")
        print(f"stream: a redelivered batch of 100 counted {again['counted']}, skipped {again['skipped']}")
    finally:
        store.stop()


if __name__ == "__main__":
    main()

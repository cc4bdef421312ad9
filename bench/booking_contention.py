"""1,000 concurrent bookings of a 50-seat window through the HTTP app on loopback, against the raw
conditional UpdateItem rate in the same run.

    .venv/bin/python bench/booking_contention.py [--bookings 1000] [--seats 50] [--threads 64]

An in-memory DynamoDB Local of its own; the app served by waitress (`python -m backend.serve`) in
its own process. Each booking comes from a distinct driver holding a distinct assigned waybill.
Exactly `seats` must succeed and the seat counter must read `seats`. Then as many raw conditional
UpdateItem calls (booked < capacity, +1) are made from as many threads on a fresh counter item.
"""

import argparse
import os
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import _world  # noqa: E402
import requests  # noqa: E402


def build_world(app, bookings, seats):
    """A mine with one future window of `seats`, and `bookings` drivers each with an assigned waybill."""
    from flask_jwt_extended import create_access_token

    from backend.common.clock import now_ms
    from tests.appointments.builders import make_mine, make_slot, make_waybill
    from tests.builders import make_user, random_plate, random_ref

    with app.app_context():
        mine = make_mine()
        slot_id = make_slot(mine.mine_id, start_ms=now_ms() + 3 * 3_600_000, capacity=seats)
        crews = []
        for _ in range(bookings):
            # Real accounts: a write checks its caller's account in the batch it reads anyway.
            driver_id = make_user("driver", org_id=random_ref("org")).user_id
            waybill = make_waybill(mine.mine_id, driver_id=driver_id, plate=random_plate())
            token = create_access_token(identity=driver_id, additional_claims={"role": "driver"})
            crews.append((token, waybill.waybill_id))
    return slot_id, crews


def race(url, slot_id, crews, threads):
    """Every driver books the same window once; returns (seconds, Counter of status/code)."""

    def attempt(crew):
        token, waybill_id = crew
        reply = requests.post(
            f"{url}/api/appointments/bookings",
            json={"waybill_id": waybill_id, "slot_id": slot_id},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
        )
        return "ok" if reply.status_code == 201 else f"{reply.status_code} {reply.json()['error']['code']}"

    began = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        outcomes = Counter(pool.map(attempt, crews))
    return time.perf_counter() - began, outcomes


def raw_updates(endpoint, table, attempts, threads, seats):
    """The same number of conditional seat increments (booked < capacity) on one fresh item."""
    import boto3
    from botocore.config import Config

    dynamo = boto3.client("dynamodb", endpoint_url=endpoint, config=Config(max_pool_connections=threads))
    key = {"mine_id": {"S": "mine_raw"}, "start_ms": {"N": "1"}}
    dynamo.put_item(TableName=table, Item=dict(key, capacity={"N": str(seats)}, booked={"N": "0"}))
    per_thread = max(attempts // threads, 1)

    def hammer(_):
        won = 0
        for _ in range(per_thread):
            try:
                dynamo.update_item(
                    TableName=table,
                    Key=key,
                    UpdateExpression="SET booked = booked + :one",
                    ConditionExpression="booked < #cap",
                    ExpressionAttributeNames={"#cap": "capacity"},
                    ExpressionAttributeValues={":one": {"N": "1"}},
                )
                won += 1
            except dynamo.exceptions.ConditionalCheckFailedException:
                pass
        return won

    began = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        won = sum(pool.map(hammer, range(threads)))
    return time.perf_counter() - began, per_thread * threads, won


def calls_per_booking(app):
    """Round trips of one booking and one refused (full window) booking, counted in process."""
    slot_id, crews = build_world(app, 2, 1)

    def book(token, waybill_id):
        def send(client):
            return client.post(
                "/api/appointments/bookings",
                json={"waybill_id": waybill_id, "slot_id": slot_id},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
            ).status_code

        return send

    return _world.count_calls(app, book(*crews[0])), _world.count_calls(app, book(*crews[1]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--threads", type=int, default=64)
    args = parser.parse_args()
    store, app = _world.start()  # in-memory DynamoDB Local, tables, the app bound to it
    env = dict(os.environ)
    server = None
    try:
        from backend.appointments.windows import service as windows

        slot_id, crews = build_world(app, args.bookings, args.seats)
        server, url = _world.serve_in_subprocess(env)
        _world.warm_up(url, crews[0][0])
        seconds, outcomes = race(url, slot_id, crews, args.threads)
        with app.app_context():
            counter = windows.get_slot(slot_id).booked
        raw_s, raw_n, raw_won = raw_updates(store.endpoint, "bench-slots", args.bookings, args.threads, args.seats)
        http_rate, raw_rate = args.bookings / seconds, raw_n / raw_s
        print(f"bookings={args.bookings} seats={args.seats} threads={args.threads} outcomes={dict(outcomes)}")
        print(f"exact: {outcomes['ok']} succeeded, seat counter {counter} (want {args.seats})")
        print(f"HTTP bookings:  {http_rate:8.1f} attempts/s ({seconds:.2f} s)")
        print(f"raw UpdateItem: {raw_rate:8.1f} conditional updates/s ({raw_s:.2f} s, {raw_won} succeeded of {raw_n})")
        print(f"ratio HTTP booking / raw conditional update: {http_rate / raw_rate:.3f} (goal >= 0.5)")
        booked, full = calls_per_booking(app)
        print(f"DynamoDB calls per request: booking {len(booked[1])} {booked[1]}, full window {len(full[1])} {full[1]}")
        if outcomes["ok"] != args.seats or counter != args.seats:
            raise SystemExit("overbooked or underbooked")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        store.stop()


if __name__ == "__main__":
    main()

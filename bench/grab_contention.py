"""Order-hall grab contention: grabs/s over HTTP (waitress on loopback) vs raw conditional UpdateItem, same run.

    .venv/bin/python bench/grab_contention.py [--clients 32] [--loads 16]

An in-memory DynamoDB Local; the app served by `python -m backend.serve` in its own process.
`clients` drivers (each with a truck of their own carrier) race for `loads` open loads in the hall:
each tries the loads in its own shuffled order until it wins one or all are gone. Winners must be
exact: every load assigned to exactly one driver, no driver holding two. Then the same number of
attempts is made as raw conditional UpdateItem calls (state = open → assigned) on fresh items
from as many threads, and the ratio of the two rates is printed.
"""

import argparse
import os
import random
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import _world  # noqa: E402
import requests  # noqa: E402


def build_world(app, clients, loads):
    """A mine, `clients` drivers with trucks, `loads` open retail loads in the hall; returns (tokens+vehicles, ids)."""
    from flask_jwt_extended import create_access_token

    from backend.common.clock import now_ms
    from backend.orders import service as orders
    from tests.builders import Actor, make_org, make_user, make_vehicle
    from tests.orders.helpers import SITE, make_mine

    with app.app_context():
        mine = make_mine(inventory_kg=100_000_000)
        carrier = make_org("carrier").org_id
        crews = []
        for _ in range(clients):
            driver = make_user("driver", org_id=carrier)
            token = create_access_token(
                identity=driver.user_id, additional_claims={"role": "driver", "org_id": carrier}
            )
            crews.append((token, make_vehicle(carrier).vehicle_id))
        buyer = Actor(make_user("buyer"))
        ids = [
            orders.place_retail(
                principal=buyer, mine_id=mine, product_id="raw", tonnage_kg=30_000, destination=SITE, now_ms=now_ms()
            ).waybill_id
            for _ in range(loads)
        ]
    return crews, ids


def race(url, crews, ids):
    """Every client grabs until it wins one load or has tried them all; returns (attempts, wins, statuses)."""
    statuses, wins, lock = {}, {}, threading.Lock()

    def client(crew):
        token, vehicle_id = crew
        session = requests.Session()
        order = ids[:]
        random.shuffle(order)
        for waybill_id in order:
            reply = session.post(
                f"{url}/api/hall/{waybill_id}/grab",
                json={"vehicle_id": vehicle_id},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
            )
            with lock:
                statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
                if reply.status_code == 200:
                    wins.setdefault(waybill_id, []).append(token)
            if reply.status_code == 200:
                return

    began = time.perf_counter()
    with ThreadPoolExecutor(len(crews)) as pool:
        list(pool.map(client, crews))
    return time.perf_counter() - began, wins, statuses


def raw_updates(endpoint, table, attempts, threads, loads):
    """The same number of conditional UpdateItem calls on fresh items (open → assigned), from as many threads."""
    import boto3
    from botocore.config import Config

    dynamo = boto3.client("dynamodb", endpoint_url=endpoint, config=Config(max_pool_connections=threads))
    keys = [f"wb_raw_{i}" for i in range(loads)]
    for key in keys:
        dynamo.put_item(TableName=table, Item={"waybill_id": {"S": key}, "state": {"S": "open"}, "version": {"N": "0"}})
    per_thread = max(attempts // threads, 1)

    def hammer(seed):
        rnd, won = random.Random(seed), 0
        for _ in range(per_thread):
            try:
                dynamo.update_item(
                    TableName=table,
                    Key={"waybill_id": {"S": rnd.choice(keys)}},
                    UpdateExpression="SET #s = :a, version = version + :one",
                    ConditionExpression="#s = :o AND version = :zero",
                    ExpressionAttributeNames={"#s": "state"},
                    ExpressionAttributeValues={
                        ":a": {"S": "assigned"},
                        ":o": {"S": "open"},
                        ":one": {"N": "1"},
                        ":zero": {"N": "0"},
                    },
                )
                won += 1
            except dynamo.exceptions.ConditionalCheckFailedException:
                pass
        return won

    began = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        won = sum(pool.map(hammer, range(threads)))
    return time.perf_counter() - began, per_thread * threads, won


def calls_per_grab(app):
    """Round trips of one won and one lost grab, counted in process with a botocore hook."""
    crews, ids = build_world(app, 2, 1)

    def grab(token, vehicle_id):
        def send(client):
            return client.post(
                f"/api/hall/{ids[0]}/grab",
                json={"vehicle_id": vehicle_id},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
            ).status_code

        return send

    return _world.count_calls(app, grab(*crews[0])), _world.count_calls(app, grab(*crews[1]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--loads", type=int, default=16)
    args = parser.parse_args()
    store, app = _world.start()  # in-memory DynamoDB Local, tables, the app bound to it
    env = dict(os.environ)
    server = None
    try:
        crews, ids = build_world(app, args.clients, args.loads)
        server, url = _world.serve_in_subprocess(env)
        _world.warm_up(url, crews[0][0])
        seconds, wins, statuses = race(url, crews, ids)
        attempts = sum(statuses.values())
        exact = (
            len(wins) == len(ids)
            and all(len(v) == 1 for v in wins.values())
            and len({t for v in wins.values() for t in v}) == len(ids)
        )
        raw_s, raw_n, raw_won = raw_updates(
            store.endpoint, "bench-waybills", attempts, min(args.clients, 64), args.loads
        )
        http_rate, raw_rate = attempts / seconds, raw_n / raw_s
        print(
            f"clients={args.clients} loads={args.loads} attempts={attempts} statuses={dict(sorted(statuses.items()))}"
        )
        print(f"winners: {len(wins)} loads won, each by exactly one driver: {exact}")
        print(f"HTTP grabs:     {http_rate:8.1f} attempts/s ({seconds:.2f} s)")
        print(f"raw UpdateItem: {raw_rate:8.1f} conditional updates/s ({raw_s:.2f} s, {raw_won} succeeded of {raw_n})")
        print(f"ratio HTTP grab / raw conditional update: {http_rate / raw_rate:.3f} (goal >= 0.5)")
        won, lost = calls_per_grab(app)
        print(f"DynamoDB calls per request: won grab {len(won[1])} {won[1]}, lost grab {len(lost[1])} {lost[1]}")
        if not exact:
            raise SystemExit("winners were not exact")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        store.stop()


if __name__ == "__main__":
    main()

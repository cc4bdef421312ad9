"""Order-hall grab contention: grabs/s over HTTP (waitress on loopback) vs raw conditional UpdateItem, same run.

    .venv/bin/python bench/grab_contention.py [--clients 32] [--loads 16] [--rounds 4]
        [--server-threads 16] [--server-processes N] [--resends]

An in-memory DynamoDB Local; the app served by `python -m backend.serve`, one worker process per core by default.
Per round, `clients` new drivers (each with a truck of their own carrier) race for `loads` new open loads
in the hall: each tries the loads in its own shuffled order until it wins one or all are gone. Winners
must be exact: every load assigned to exactly one driver, no driver holding two. A raw round makes as
many conditional UpdateItem calls (state = open -> assigned) on `loads` fresh items from as many threads.
Both sides are warmed by an untimed round each, then timed in paired rounds of alternating order
(bench/_contention.py says why); the ratio of the two rates is printed, with each process's CPU per
attempt and the DynamoDB calls of a won and a lost grab.
The timed requests are first sends (`Idempotency-Attempt: 1`, as the PWA marks them), so a refusal the server has
noted costs no round trip; `--resends` marks them as sent before, so each refusal looks its key up (one GetItem).
"""

import argparse
import os
import random
import sys
import threading
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import _contention  # noqa: E402
import _world  # noqa: E402


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


class Race:
    """One round's drivers and loads; `run(clients, url)` races them and keeps the outcome."""

    def __init__(self, crews, ids):
        self.crews, self.ids = crews, ids
        self.statuses, self.wins, self.lock = {}, {}, threading.Lock()

    def run(self, clients, url):
        """Every driver grabs until it wins one load or has tried them all; returns the number of attempts."""

        def driver(crew):
            token, vehicle_id = crew
            session = clients.session()
            order = self.ids[:]
            random.shuffle(order)
            for waybill_id in order:
                reply = session.post(
                    f"{url}/api/hall/{waybill_id}/grab",
                    json={"vehicle_id": vehicle_id},
                    headers=clients.write_headers(token),
                )
                with self.lock:
                    self.statuses[reply.status_code] = self.statuses.get(reply.status_code, 0) + 1
                    if reply.status_code == 200:
                        self.wins.setdefault(waybill_id, []).append(token)
                if reply.status_code == 200:
                    return

        clients.map(driver, self.crews)
        return sum(self.statuses.values())

    def exact(self):
        return (
            len(self.wins) == len(self.ids)
            and all(len(v) == 1 for v in self.wins.values())
            and len({t for v in self.wins.values() for t in v}) == len(self.ids)
        )


class RawUpdates(_contention.RawRounds):
    """Conditional UpdateItem calls (state = open -> assigned) on a round's `loads` fresh items."""

    def __init__(self, endpoint, table, threads, loads, processes):
        super().__init__(endpoint, threads, processes)
        self.table, self.loads = table, loads

    def prepare_round(self, number):
        keys = [f"wb_raw_{number}_{i}" for i in range(self.loads)]
        for key in keys:
            self.dynamo.put_item(
                TableName=self.table, Item={"waybill_id": {"S": key}, "state": {"S": "open"}, "version": {"N": "0"}}
            )
        values = {":a": {"S": "assigned"}, ":o": {"S": "open"}, ":one": {"N": "1"}, ":zero": {"N": "0"}}
        return [
            dict(
                TableName=self.table,
                Key={"waybill_id": {"S": key}},
                UpdateExpression="SET #s = :a, version = version + :one",
                ConditionExpression="#s = :o AND version = :zero",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues=values,
            )
            for key in keys
        ]


def calls_per_grab(app):
    """Round trips of one won grab; of a lost one once the load is noted out of the hall, sent for the first time and
    sent again (its key looked up); and of the first loss a process reads (notes forgotten: another container won
    it), counted in process with a botocore hook."""
    from backend.common.recent_refusals import forget_all

    crews, ids = build_world(app, 3, 1)

    def grab(token, vehicle_id, attempt="1"):
        def send(client):
            return client.post(
                f"/api/hall/{ids[0]}/grab",
                json={"vehicle_id": vehicle_id},
                headers=_contention.first_send(token, attempt),
            ).status_code

        return send

    won, noted = _world.count_calls(app, grab(*crews[0])), _world.count_calls(app, grab(*crews[1]))
    resent = _world.count_calls(app, grab(*crews[1], attempt="2"))
    forget_all()
    return won, noted, resent, _world.count_calls(app, grab(*crews[2]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--loads", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=4, help="timed rounds per side (after one warm-up round)")
    _contention.add_server_options(parser)
    args = parser.parse_args()
    store, app = _world.start()  # in-memory DynamoDB Local, tables, the app bound to it
    server, raw, clients = None, None, _contention.Clients(args.clients, resends=args.resends)
    try:
        races = [Race(*build_world(app, args.clients, args.loads)) for _ in range(args.rounds + 1)]
        server, url = _world.serve_in_subprocess(
            dict(os.environ), threads=args.server_threads, processes=args.server_processes
        )
        _world.warm_up(url, races[0].crews[0][0], threads=args.server_threads * args.server_processes)
        raw = RawUpdates(store.endpoint, "bench-waybills", args.clients, args.loads, args.server_processes)
        attempts = races[0].run(clients, url)  # warm-up: both sides' paths compiled by the store's JVM
        raw.run(attempts)
        timed = iter(races[1:])
        pids = {"server": _world.server_pids(server), "store": store.process.pid, "client": [os.getpid(), *raw.pids]}
        http, raw_side = _contention.paired_rounds(
            args.rounds, lambda: next(timed).run(clients, url), lambda: raw.run(attempts), pids
        )
        statuses = {}
        for race in races[1:]:
            for code, count in race.statuses.items():
                statuses[code] = statuses.get(code, 0) + count
        exact = all(race.exact() for race in races)
        print(
            f"clients={args.clients} loads={args.loads} rounds={args.rounds} server threads={args.server_threads} "
            f"x {args.server_processes} processes timed {'resends' if args.resends else 'first sends'} "
            f"statuses={dict(sorted(statuses.items()))}"
        )
        print(f"winners: every round's {args.loads} loads won, each by exactly one driver: {exact}")
        _contention.report("grab", http, raw_side)
        won, noted, resent, read = calls_per_grab(app)
        print(
            f"DynamoDB calls per request: won grab {len(won[1])} {won[1]}, lost grab once noted out of the hall "
            f"{len(noted[1])} {noted[1]} (first send), {len(resent[1])} {resent[1]} (sent again), "
            f"{len(read[1])} {read[1]} for the first loss a process reads"
        )
        if not exact:
            raise SystemExit("winners were not exact")
    finally:
        clients.close()
        if raw:
            raw.close()
        if server:
            server.terminate()
            server.wait(timeout=10)
        store.stop()


if __name__ == "__main__":
    main()

"""Concurrent bookings of a window through the HTTP app on loopback, against the raw conditional UpdateItem
rate in the same run.

    .venv/bin/python bench/booking_contention.py [--bookings 1000] [--seats 50] [--threads 64] [--rounds 4]
        [--server-threads 16] [--server-processes N] [--resends]

An in-memory DynamoDB Local of its own; the app served by waitress (`python -m backend.serve`), one worker
process per core by default (bench/_contention.py says why). Per round, `bookings` distinct drivers, each
holding a distinct assigned waybill, book one new window of `seats`: exactly `seats` must succeed and the seat
counter must read `seats`. A driver refused in one round books again in a later round's window; the winners are
replaced by new drivers. A raw round makes as many conditional UpdateItem calls (booked < capacity, +1) on a fresh
counter item from as many threads. Both sides are warmed by an untimed round each, then timed in paired rounds of
alternating order (bench/_contention.py says why).
The timed requests are first sends (`Idempotency-Attempt: 1`, as the PWA marks them), so a refusal the server has
noted costs no round trip; `--resends` marks them as sent before, so each refusal looks its key up (one GetItem).
"""

import argparse
import os
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import _contention  # noqa: E402
import _world  # noqa: E402


def make_mine(app):
    from tests.appointments.builders import make_mine as make

    with app.app_context():
        return make().mine_id


def make_window(app, mine_id, seats, hours_ahead=3):
    """A window `hours_ahead` from now (a window's id is its mine and start minute: one per round, never reused)."""
    from backend.common.clock import now_ms
    from tests.appointments.builders import make_slot

    with app.app_context():
        return make_slot(mine_id, start_ms=now_ms() + hours_ahead * 3_600_000, capacity=seats)


def make_crews(app, mine_id, count, threads=8):
    """`count` drivers, each with an assigned waybill at the mine: (token, waybill id) pairs."""
    from flask_jwt_extended import create_access_token

    from tests.appointments.builders import make_waybill
    from tests.builders import make_user, random_plate, random_ref

    def crew(_):
        with app.app_context():
            # Real accounts: a write checks its caller's account in the batch it reads anyway.
            driver_id = make_user("driver", org_id=random_ref("org")).user_id
            waybill = make_waybill(mine_id, driver_id=driver_id, plate=random_plate())
            return create_access_token(identity=driver_id, additional_claims={"role": "driver"}), waybill.waybill_id

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(crew, range(count)))


def build_world(app, bookings, seats):
    """A mine with one future window of `seats`, and `bookings` drivers each with an assigned waybill."""
    mine_id = make_mine(app)
    return make_window(app, mine_id, seats), make_crews(app, mine_id, bookings)


def book_round(clients, url, slot_id, crews):
    """Every crew books the window once; returns {crew: "ok" | "<status> <code>"}."""

    def attempt(crew):
        token, waybill_id = crew
        reply = clients.session().post(
            f"{url}/api/appointments/bookings",
            json={"waybill_id": waybill_id, "slot_id": slot_id},
            headers=clients.write_headers(token),
        )
        return "ok" if reply.status_code == 201 else f"{reply.status_code} {reply.json()['error']['code']}"

    return dict(zip(crews, clients.map(attempt, crews), strict=True))


class Bookings:
    """The HTTP side: each round a new window and `bookings` drivers without a booking yet."""

    def __init__(self, app, clients, url, mine_id, bookings, seats):
        self.app, self.clients, self.url, self.mine_id = app, clients, url, mine_id
        self.bookings, self.seats = bookings, seats
        self.free = make_crews(app, mine_id, bookings)
        self.outcomes, self.exact = Counter(), True
        self.fresh, self.slot_id, self.rounds = [], None, 0

    def prepare(self):
        """Before a round, untimed: its window, and new drivers to take the places of the round's winners."""
        self.fresh = make_crews(self.app, self.mine_id, self.seats)
        self.rounds += 1
        self.slot_id = make_window(self.app, self.mine_id, self.seats, hours_ahead=3 + self.rounds)

    def run(self):
        from backend.appointments.windows import service as windows

        crews = self.free[: self.bookings]
        outcomes = book_round(self.clients, self.url, self.slot_id, crews)
        with self.app.app_context():
            counter = windows.get_slot(self.slot_id).booked
        won = [crew for crew, outcome in outcomes.items() if outcome == "ok"]
        self.exact = self.exact and len(won) == self.seats and counter == self.seats
        self.outcomes.update(outcomes.values())
        self.free = [crew for crew in crews if outcomes[crew] != "ok"] + self.free[self.bookings :] + self.fresh
        return len(crews)


class RawUpdates(_contention.RawRounds):
    """Conditional seat increments (booked < capacity) on a round's fresh counter item."""

    def __init__(self, endpoint, table, threads, seats, processes):
        super().__init__(endpoint, threads, processes)
        self.table, self.seats = table, seats

    def prepare_round(self, number):
        key = {"mine_id": {"S": "mine_raw"}, "start_ms": {"N": str(number)}}
        self.dynamo.put_item(TableName=self.table, Item=dict(key, capacity={"N": str(self.seats)}, booked={"N": "0"}))
        return [
            dict(
                TableName=self.table,
                Key=key,
                UpdateExpression="SET booked = booked + :one",
                ConditionExpression="booked < #cap",
                ExpressionAttributeNames={"#cap": "capacity"},
                ExpressionAttributeValues={":one": {"N": "1"}},
            )
        ]


def calls_per_booking(app):
    """Round trips of one booking; of a refusal once the window is noted full, sent for the first time and sent
    again (its key looked up); and of the first refusal a process reads (notes forgotten: another container filled
    the window), counted in process."""
    from backend.common.recent_refusals import forget_all

    slot_id, crews = build_world(app, 3, 1)

    def book(token, waybill_id, attempt="1"):
        def send(client):
            return client.post(
                "/api/appointments/bookings",
                json={"waybill_id": waybill_id, "slot_id": slot_id},
                headers=_contention.first_send(token, attempt),
            ).status_code

        return send

    booked, noted = _world.count_calls(app, book(*crews[0])), _world.count_calls(app, book(*crews[1]))
    resent = _world.count_calls(app, book(*crews[1], attempt="2"))
    forget_all()
    return booked, noted, resent, _world.count_calls(app, book(*crews[2]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--threads", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=4, help="timed rounds per side (after one warm-up round)")
    _contention.add_server_options(parser)
    args = parser.parse_args()
    store, app = _world.start()  # in-memory DynamoDB Local, tables, the app bound to it
    server, raw, clients = None, None, _contention.Clients(args.threads, resends=args.resends)
    try:
        mine_id = make_mine(app)
        server, url = _world.serve_in_subprocess(
            dict(os.environ), threads=args.server_threads, processes=args.server_processes
        )
        http = Bookings(app, clients, url, mine_id, args.bookings, args.seats)
        _world.warm_up(url, http.free[0][0], threads=args.server_threads * args.server_processes)
        raw = RawUpdates(store.endpoint, "bench-slots", args.threads, args.seats, args.server_processes)
        http.prepare()
        http.run()  # warm-up: both sides' paths compiled by the store's JVM
        raw.run(args.bookings)
        http.outcomes.clear()
        pids = {"server": _world.server_pids(server), "store": store.process.pid, "client": [os.getpid(), *raw.pids]}
        sides = _contention.paired_rounds(
            args.rounds, http.run, lambda: raw.run(args.bookings), pids, prepare_http=http.prepare
        )
        print(
            f"bookings={args.bookings} seats={args.seats} threads={args.threads} rounds={args.rounds} "
            f"server threads={args.server_threads} x {args.server_processes} processes outcomes={dict(http.outcomes)} "
            f"timed {'resends' if args.resends else 'first sends'}"
        )
        print(f"exact: every round {args.seats} succeeded and its seat counter read {args.seats}: {http.exact}")
        _contention.report("booking", *sides)
        booked, noted, resent, read = calls_per_booking(app)
        print(
            f"DynamoDB calls per request: booking {len(booked[1])} {booked[1]}, full window once noted full "
            f"{len(noted[1])} {noted[1]} (first send), {len(resent[1])} {resent[1]} (sent again), "
            f"{len(read[1])} {read[1]} for the first refusal a process reads"
        )
        if not http.exact:
            raise SystemExit("overbooked or underbooked")
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

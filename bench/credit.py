"""The nightly credit-score job from aggregated counters, against a baseline that reads each party's raw history.

    .venv/bin/python bench/credit.py [--drivers 1000] [--shippers 16] [--baseline-parties 60]

One in-memory DynamoDB Local. A sample of parties (default 1,000 drivers and 16 shippers: the platform's
69,283 : 1,086 ratio) each has a standing (its 90-day totals) and a day item on the day that leaves the
window tonight: the worst night, every party touched. `backend.trust.window.run` is timed and its DynamoDB
calls counted. The baseline, measured in the same run on a subsample with a real 90-day event history
(a driver ~80 events: 40 loads, their ratings; a shipper ~1,300), computes the same score the way a
full-history job would: Query every event of the party's window, add them up, write the score.
Prints calls and milliseconds per party for both, their ratio, and the job extrapolated to 69,283 drivers
+ 1,086 shippers (local wall time, and Lambda time: calls x an assumed in-region DynamoDB latency + the
job's own CPU per party, DynamoDB Local being another process); goal <= 15 min.
"""

import argparse
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _world  # noqa: E402

DAY = 86_400_000
DRIVERS, SHIPPERS = 69_283, 1_086
LAMBDA_MS_PER_CALL = 12  # assumed DynamoDB round trip from Lambda in-region (a 100-item transaction ~ 10-20 ms)
# Process-wide, not per thread: the job runs its pages on a thread pool.
_counting = {"calls": None}
_lock = threading.Lock()


def _before_call(model=None, **_):
    with _lock:
        if _counting["calls"] is not None:
            _counting["calls"].append(model.name)


def _hook_clients():
    import botocore.session

    original = botocore.session.Session.create_client

    def create_client(self, service_name, *args, **kwargs):
        client = original(self, service_name, *args, **kwargs)
        if service_name == "dynamodb":
            client.meta.events.register("before-call.dynamodb", _before_call)
        return client

    botocore.session.Session.create_client = create_client


def _measure(work):
    """(DynamoDB calls, wall seconds, this process's CPU seconds): DynamoDB Local runs in another process."""
    _counting["calls"] = []
    began, cpu = time.perf_counter(), time.process_time()
    work()
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    with _lock:
        calls, _counting["calls"] = len(_counting["calls"]), None
    return calls, seconds, cpu


def _n(value):
    return {"N": str(value)}


def _s(value):
    return {"S": value}


def _parties(drivers, shippers):
    return [(f"bd_{i:06d}", "driver") for i in range(drivers)] + [(f"bs_{i:05d}", "shipper") for i in range(shippers)]


def _seed_counters(dynamo, prefix, parties, *, leaving_day, rng):
    """Each party's standing (window totals) and its day item on the day leaving the window."""
    standings, days = [], []
    for party_id, role in parties:
        loads = rng.randint(20, 60) if role == "driver" else rng.randint(400, 900)
        leaving = max(1, loads // 90)
        standings.append(
            {
                "party_id": _s(party_id),
                "role": _s(role),
                "completed": _n(loads),
                "rating_good": _n(loads // 4),
                "no_show": _n(rng.randint(0, 3)),
                "ratings_n": _n(loads // 3),
                "ratings_stars": _n(loads),
            }
        )
        days.append({"party_id": _s(party_id), "day": _s(leaving_day), "role": _s(role), "completed": _n(leaving)})
    _world.batch_put(dynamo, f"{prefix}trust_standings", standings)
    _world.batch_put(dynamo, f"{prefix}trust_days", days)


def _seed_history(dynamo, prefix, parties, *, now, rng):
    """A raw 90-day event history for the baseline's parties."""
    from backend.common.clock import shanghai_date

    items = []
    for party_id, role in parties:
        events = 80 if role == "driver" else 1_300
        for k in range(events):
            at = now - rng.randrange(1, 89 * DAY)
            signal = "completed" if k % 2 == 0 else rng.choice(("rating_good", "rating_good", "rating_bad", "no_show"))
            items.append(
                {
                    "party_id": _s(party_id),
                    "event_id": _s(f"{signal}:{k}"),
                    "role": _s(role),
                    "signal": _s(signal),
                    "count": _n(1),
                    "at": _n(at),
                    "day": _s(shanghai_date(at)),
                    "status": _s("active"),
                }
            )
    _world.batch_put(dynamo, f"{prefix}trust_events", items)
    return len(items)


def _full_history_score(party_id, role, now):
    """The baseline: every event of the window read back and added up, then the score written."""
    from backend.trust import scoring, store
    from backend.trust.models import TrustEvent

    counts = {}
    for event in TrustEvent.by_time.query(party_id, TrustEvent.at >= now - 90 * DAY, page_size=1000):
        if event.status == "active":
            counts[event.signal] = counts.get(event.signal, 0) + event.count
    summary = scoring.summary(counts, role)
    store.run([store.snapshot_op(party_id, score=summary["score"], grade=summary["grade"], now_ms=now)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--drivers", type=int, default=1000)
    parser.add_argument("--shippers", type=int, default=16)
    parser.add_argument("--baseline-parties", type=int, default=60, help="drivers in the baseline (plus 1 shipper)")
    args = parser.parse_args()
    rng = random.Random(13)
    _hook_clients()
    store_process, app = _world.start()
    try:
        from backend.common.clock import now_ms, shanghai_date
        from backend.trust import window

        dynamo = _world.client(store_process)
        prefix = _world.ENV["TABLE_PREFIX"]
        now = now_ms()
        leaving_day = shanghai_date(now - 90 * DAY)
        parties = _parties(args.drivers, args.shippers)
        began = time.perf_counter()
        _seed_counters(dynamo, prefix, parties, leaving_day=leaving_day, rng=rng)
        baseline_parties = [(f"hd_{i:05d}", "driver") for i in range(args.baseline_parties)] + [("hs_00000", "shipper")]
        events = _seed_history(dynamo, prefix, baseline_parties, now=now, rng=rng)
        print(f"seeded {len(parties)} parties' counters and {events} raw events in {time.perf_counter() - began:.1f} s")

        with app.app_context():
            job_calls, job_s, job_cpu = _measure(lambda: window.run(now_ms=now))
            base = {"driver": [0, 0.0, 0], "shipper": [0, 0.0, 0]}
            for party_id, role in baseline_parties:
                calls, seconds, _ = _measure(lambda p=party_id, r=role: _full_history_score(p, r, now))
                base[role][0] += calls
                base[role][1] += seconds
                base[role][2] += 1

        n = len(parties)
        job_cpp, job_mspp = job_calls / n, job_s * 1000 / n
        weights = {"driver": DRIVERS / (DRIVERS + SHIPPERS), "shipper": SHIPPERS / (DRIVERS + SHIPPERS)}
        base_cpp = sum(weights[r] * base[r][0] / base[r][2] for r in base)
        base_mspp = sum(weights[r] * base[r][1] * 1000 / base[r][2] for r in base)
        total = DRIVERS + SHIPPERS
        print(
            f"job (aggregated counters): {job_calls} calls for {n} parties = {job_cpp:.3f} calls/party, "
            f"{job_mspp:.2f} ms/party ({job_cpu * 1000 / n:.2f} ms CPU)"
        )
        for role in ("driver", "shipper"):
            calls, seconds, count = base[role]
            print(
                f"baseline (full 90-day history), {role}: {calls / count:.2f} calls/party, "
                f"{seconds * 1000 / count:.1f} ms/party"
            )
        print(f"baseline weighted 69,283:1,086: {base_cpp:.2f} calls/party, {base_mspp:.2f} ms/party")
        print(f"ratio job/baseline: calls {job_cpp / base_cpp:.3f}, time {job_mspp / base_mspp:.3f}")
        local_min = job_mspp * total / 60_000
        cpu_mspp = job_cpu * 1000 / n
        lambda_min = (job_cpp * LAMBDA_MS_PER_CALL + cpu_mspp) * total / 60_000
        print(
            f"extrapolated to {DRIVERS:,} drivers + {SHIPPERS:,} shippers: {job_cpp * total:,.0f} calls, "
            f"{local_min:.1f} min here; Lambda ~{lambda_min:.1f} min at {LAMBDA_MS_PER_CALL} ms/call "
            f"+ {cpu_mspp:.2f} ms CPU/party; goal <= 15 min: {'met' if lambda_min <= 15 else 'MISSED'}"
        )
        print(f"baseline extrapolated: {base_cpp * total:,.0f} calls, {base_mspp * total / 60_000:.1f} min here")
    finally:
        store_process.stop()


if __name__ == "__main__":
    main()

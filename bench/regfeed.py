"""Regulatory feed: documents built and uploaded per second, and DynamoDB calls per document by history size.

    .venv/bin/python bench/regfeed.py [--sizes 1000,100000] [--trucks 8]

One in-memory DynamoDB Local and the province sandbox (real HTTP, SM2/SM4 envelope). For each size, a mine
and a truck whose past holds that many finished waybills and that many accepted WLHY documents (written
with BatchWrite straight into the tables: the history a year leaves), then `--trucks` new loads of that
truck delivered and settled (unmeasured). Measured: the upload job's first run (build, self-check, encrypt,
send: every queued document), then the runs that collect the verdicts; DynamoDB calls counted on every
client. Prints documents per second and calls per document, and each as a RATIO to the smallest size
measured in the same run (goal: flat).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from backend.localstore.province_sandbox import ProvinceSandbox  # noqa: E402
from bench import _world  # noqa: E402
from bench.history_depth import hook_every_client, measured  # noqa: E402

MIN = 60_000
DAY = 86_400_000


def history_items(size, *, mine_id, vehicle_id, now_ms):
    """`size` settled waybills of the truck and their accepted waybill documents, all older than a week."""
    waybills, documents = [], []
    for i in range(size):
        wid, at = f"wb_h{mine_id[-6:]}{i:07d}", now_ms - 8 * DAY - i * MIN
        waybills.append({
            "waybill_id": {"S": wid}, "state": {"S": "settled"}, "version": {"N": "9"}, "mine_id": {"S": mine_id},
            "product_id": {"S": "raw"}, "tonnage_kg": {"N": "34000"}, "vehicle_id": {"S": vehicle_id},
            "created_at": {"N": str(at)}, "updated_at": {"N": str(at)},
            "state_at": {"S": f"settled#{at:013d}"},
        })  # fmt: skip
        documents.append({
            "doc_id": {"S": f"waybill.{wid}"}, "kind": {"S": "waybill"}, "subject_id": {"S": wid},
            "mine_id": {"S": mine_id}, "state": {"S": "accepted"}, "state_key": {"S": f"accepted#{mine_id}"},
            "version": {"N": "4"}, "revision": {"N": "0"}, "attempts": {"N": "0"}, "next_try_at": {"N": str(at)},
            "queued_at": {"N": str(at)}, "updated_at": {"N": str(at)}, "vehicle_id": {"S": vehicle_id},
            "departed_at": {"N": str(at - 90 * MIN)}, "received_at": {"N": str(at - 10 * MIN)},
            "amount_fen": {"N": "140700"},
        })  # fmt: skip
    return waybills, documents


def one_size(app, store, size, trucks, adapter):
    from backend.common.clock import now_ms
    from backend.regfeed import service as regfeed
    from backend.regfeed import store as regfeed_store
    from backend.regfeed.models import RegDocument
    from backend.waybills.models import Waybill
    from tests.builders import make_org, make_vehicle
    from tests.orders.helpers import make_mine
    from tests.regfeed.helpers import delivered
    from tests.tracking.conftest import MINE_GATE

    with app.app_context():
        mine_id = make_mine(gate=MINE_GATE)
        truck = make_vehicle(make_org("carrier").org_id)
        t0 = now_ms()
        waybill_items, document_items = history_items(size, mine_id=mine_id, vehicle_id=truck.vehicle_id, now_ms=t0)
        dynamo = _world.client(store)
        began = time.perf_counter()
        _world.batch_put(dynamo, Waybill.Meta.table_name, waybill_items)
        _world.batch_put(dynamo, RegDocument.Meta.table_name, document_items)
        seeded = time.perf_counter() - began
        t1 = now_ms() + MIN  # after the seeding: a load is consigned before its truck departs
        worlds = [
            delivered(mine_id=mine_id, vehicle=truck, start=t1 + i * 4 * 60 * MIN, settle=True) for i in range(trucks)
        ]
        now = max(w["done_at"] for w in worlds)
        samples, sent_s, sent = {}, 0.0, 0

        def send(kind, subject):
            nonlocal sent_s, sent
            document = regfeed_store.get(regfeed.doc_id(kind, subject))
            began = time.perf_counter()
            measured(samples, kind, lambda: regfeed.send_one(document, adapter=adapter, now_ms=now))
            sent_s += time.perf_counter() - began
            sent += 1

        def collect(kind, subjects):
            """Poll until the province decided every document of a kind (calls per document of each poll)."""
            for _ in range(200):
                acked = [regfeed_store.get(regfeed.doc_id(kind, s)) for s in subjects]
                acked = [d for d in acked if d.state == "acknowledged"]
                if not acked:
                    return
                time.sleep(0.05)
                measured(samples, f"poll {kind}", lambda a=acked: regfeed.poll(a, adapter=adapter, now_ms=now))
                samples[f"poll {kind}"][-1] = (samples[f"poll {kind}"][-1][0] / len(acked), 0)

        wids = [w["waybill_id"] for w in worlds]
        for wid in wids:  # builds, checks, encrypts and sends; queues the truck, driver and positions documents
            send("waybill", wid)
        send("vehicle", truck.vehicle_id)
        for w in worlds:
            send("driver", w["driver"].user_id)
            send("positions", w["waybill_id"])
        collect("waybill", wids)
        for wid in wids:  # a fund flow goes once its waybill was accepted
            send("fund_flow", wid)
        collect("fund_flow", wids)
        states = [regfeed_store.get(regfeed.doc_id(k, w)).state for k in ("waybill", "fund_flow") for w in wids]
        measured(samples, "idle run", lambda: regfeed.run(now_ms=now, adapter=adapter, mine_ids=[mine_id]))
    kinds = ("waybill", "positions", "fund_flow", "vehicle", "driver")
    per_kind = {k: sum(c for c, _ in samples[k]) / len(samples[k]) for k in kinds}
    polls = {k: sum(c for c, _ in samples[f"poll {k}"]) / len(samples[f"poll {k}"]) for k in ("waybill", "fund_flow")}
    return {
        "seeded_s": seeded,
        "sent": sent,
        "accepted": states.count("accepted"),
        "docs_per_s": sent / sent_s,
        "calls_per_doc": sum(c for k in kinds for c, _ in samples[k]) / sent,
        "per_kind": per_kind,
        "poll_per_doc": polls,
        "idle_run": samples["idle run"][0][0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--trucks", type=int, default=8)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    sandbox = ProvinceSandbox().start()
    os.environ.update(sandbox.env())
    hook_every_client()
    store, app = _world.start()
    try:
        from backend.config import setting
        from backend.regfeed import transport

        with app.app_context():
            adapter = transport.from_settings(setting)
        one_size(app, store, 10, 2, adapter)  # warm-up, not reported: imports, connections, the first SM2 tables
        results = {size: one_size(app, store, size, args.trucks, adapter) for size in sizes}
    finally:
        store.stop()
        sandbox.stop()
    base = results[sizes[0]]
    print(f"\nregfeed: {args.trucks} settled trucks per size; each WLHY_YD1001, ZJ1001, WZ1001, JSY1001, one CL1001")
    print(f"{'history':>9} {'seed s':>7} {'docs':>5} {'accepted':>8} {'docs/s':>7} {'ratio':>6} {'calls/doc':>10} "
          f"{'ratio':>6}  calls by kind (YD, WZ, ZJ, CL, JSY) · per poll · idle job run")  # fmt: skip
    for size in sizes:
        r = results[size]
        kinds = " ".join(f"{v:.1f}" for v in r["per_kind"].values())
        polls = " ".join(f"{v:.1f}" for v in r["poll_per_doc"].values())
        print(
            f"{size:>9} {r['seeded_s']:>7.1f} {r['sent']:>5} {r['accepted']:>8} {r['docs_per_s']:>7.1f} "
            f"{r['docs_per_s'] / base['docs_per_s']:>6.2f} {r['calls_per_doc']:>10.2f} "
            f"{r['calls_per_doc'] / base['calls_per_doc']:>6.2f}  {kinds} · {polls} · {r['idle_run']}"
        )
    print(f"(ratios against {sizes[0]} waybills of history measured in this run; flat = 1.00)")


if __name__ == "__main__":
    main()

"""Balanced-hauling plan time for 1,086 shippers × 3 mines: the pure apportionment, then with the store writes.

    .venv/bin/python bench/quota_plan.py [--shippers 1086] [--mines 3]

Pure: apportion each mine's trucks among every shipper's remaining volume (integer largest remainder).
Store: the same plan written into an in-memory DynamoDB Local, one UpdateItem a quota (keeping `used`)
from 8 threads, then as the job writes it now: 100 such updates a TransactWriteItems (store.set_quotas).
"""

import argparse
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from backend.dispatch.apportion import apportion  # noqa: E402

ENV = {
    "JWT_SECRET_KEY": "bench-jwt-secret-0123456789abcdef0123456789",
    "DEVICE_MASTER_KEY": "bench-device-0123456789abcdef",
    "SECRET_SEAL_KEY": "bench-secret-seal-0123456789abcdef",
    "TABLE_PREFIX": "benchq-",
    "LOG_LEVEL": "ERROR",
}


def demand(shippers, seed):
    rnd = random.Random(seed)
    return {f"org_shp_{i:04d}": rnd.choice([0, 0, 1, 2, 3, 5, 8, 13, 40, 120]) for i in range(shippers)}


def pure(shippers, mines, repeats=20):
    inputs = [(2000 + 500 * m, demand(shippers, m)) for m in range(mines)]
    began = time.perf_counter()
    for _ in range(repeats):
        plans = [apportion(capacity, wanted) for capacity, wanted in inputs]
    seconds = (time.perf_counter() - began) / repeats
    for (capacity, wanted), plan in zip(inputs, plans):
        assert sum(plan.values()) == min(capacity, sum(wanted.values()))
    return seconds, plans


def with_store(plans, batched):
    """Write the plans: per-shipper UpdateItems from 8 threads (the old way) or 100 a transaction (set_quotas)."""
    from backend.dispatch import store
    from backend.dispatch.models import QuotaPlan

    items = [(f"mine_{m}", shipper, quota) for m, plan in enumerate(plans) for shipper, quota in plan.items()]

    def write(item):
        mine, shipper, quota = item
        store.set_quota(
            mine_id=mine, date="2026-11-22", shipper_id=shipper, quota=quota, remaining_trucks=quota, now_ms=0
        )

    began = time.perf_counter()
    if batched:
        for m, plan in enumerate(plans):
            store.set_quotas(
                mine_id=f"mine_{m}",
                date="2026-11-22",
                now_ms=0,
                rows=[(shipper, quota, quota) for shipper, quota in plan.items()],
            )
    else:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(write, items))
    for m, plan in enumerate(plans):
        store.save_plan(
            QuotaPlan(
                f"mine_{m}",
                "2026-11-22",
                capacity_kg=0,
                truck_load_kg=34000,
                capacity_trucks=0,
                allotted_trucks=sum(plan.values()),
                shippers=len(plan),
                computed_at=0,
            )
        )
    return time.perf_counter() - began, len(items)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shippers", type=int, default=1086)
    parser.add_argument("--mines", type=int, default=3)
    args = parser.parse_args()
    seconds, plans = pure(args.shippers, args.mines)
    print(f"pure apportionment: {args.shippers} shippers × {args.mines} mines in {seconds * 1000:.2f} ms")
    from backend.localstore.dynamodb_local import DynamoDBLocal, use_local_credentials

    use_local_credentials()
    local = DynamoDBLocal().start()
    try:
        os.environ.update(ENV, DYNAMODB_HOST=local.endpoint, AWS_REGION=os.environ["AWS_DEFAULT_REGION"])
        from backend import db
        from backend.dispatch.models import QuotaPlan, ShipperQuota

        db.bind_models(
            [QuotaPlan, ShipperQuota], host=local.endpoint, region=os.environ["AWS_REGION"], prefix="benchq-"
        )
        db.create_tables([QuotaPlan, ShipperQuota])
        single_s, count = with_store(plans, batched=False)
        store_s, _ = with_store(plans, batched=True)
        print(
            f"store, one UpdateItem a quota (8 threads): {count} quota items + {args.mines} plans in {single_s:.2f} s"
        )
        print(
            f"store, 100 quotas a TransactWrite (set_quotas, the job's path): {store_s:.2f} s; "
            f"plan total {seconds + store_s:.2f} s"
        )
        print(f"ratio transactions / one-by-one: {store_s / single_s:.2f}; store / pure: {store_s / seconds:.0f}x")
    finally:
        local.stop()


if __name__ == "__main__":
    main()

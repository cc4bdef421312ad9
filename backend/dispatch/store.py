"""Quota plans and quota counters, and the hall's reads: the dispatch domain's store."""

import random
import time

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError

from backend import db
from backend.dispatch.models import QuotaPlan, ShipperQuota

TRANSACTION_ITEMS = 100  # DynamoDB's limit of items in one TransactWriteItems


def plan_key(mine_id, date):
    return f"{mine_id}#{date}"


def consume_quota_step(shipper_id, mine_id, date):
    """A transaction step taking one truck of the day's quota, only while used < quota."""
    item = ShipperQuota(plan_key(mine_id, date), shipper_id)
    return lambda tx: tx.update(
        item, actions=[ShipperQuota.used.add(1)], condition=ShipperQuota.used < ShipperQuota.quota
    )


def release_quota_step(shipper_id, mine_id, date):
    """A transaction step giving one truck back (never below zero)."""
    item = ShipperQuota(plan_key(mine_id, date), shipper_id)
    return lambda tx: tx.update(item, actions=[ShipperQuota.used.add(-1)], condition=ShipperQuota.used > 0)


def get_plan(mine_id, date, consistent=False):
    try:
        return QuotaPlan.get(mine_id, date, consistent_read=consistent)
    except DoesNotExist:
        return None


def _lock_key(date):
    return f"lock#{date}"  # beside the plan in its mine's partition; get_plan never reads it


def claim_plan_lock(mine_id, date, *, now_ms, hold_ms):
    """Take the right to compute a mine's plan for a date; False while someone else holds an unexpired claim."""
    item = QuotaPlan(mine_id, _lock_key(date))
    free = QuotaPlan.lock_until.does_not_exist() | (QuotaPlan.lock_until < now_ms)
    try:
        item.update(actions=[QuotaPlan.lock_until.set(now_ms + hold_ms)], condition=free)
    except UpdateError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release_plan_lock(mine_id, date):
    """Give the claim up (the computation failed) so the next request may try again at once."""
    QuotaPlan(mine_id, _lock_key(date)).delete()


def save_plan(plan):
    plan.save()
    return plan


def _quota_actions(mine_id, date, quota, remaining_trucks, now_ms):
    return [
        ShipperQuota.mine_id.set(mine_id),
        ShipperQuota.date.set(date),
        ShipperQuota.quota.set(quota),
        ShipperQuota.remaining_trucks.set(remaining_trucks),
        ShipperQuota.used.set(ShipperQuota.used | 0),
        ShipperQuota.updated_at.set(now_ms),
    ]


def set_quota(*, mine_id, date, shipper_id, quota, remaining_trucks, now_ms):
    """Write a shipper's quota for the day, keeping the trucks already used (a recompute never resets use)."""
    ShipperQuota(plan_key(mine_id, date), shipper_id).update(
        actions=_quota_actions(mine_id, date, quota, remaining_trucks, now_ms)
    )


def set_quotas(*, mine_id, date, rows, now_ms, attempts=5):
    """Write many shippers' quotas, 100 updates a TransactWrite (1,086 shippers: 11 calls, not 1,086).

    Each update keeps `used` as set_quota does; a grab consuming a quota meanwhile makes the chunk
    conflict, and the chunk is sent again (its updates are idempotent).
    """
    rows = list(rows)
    for start in range(0, len(rows), TRANSACTION_ITEMS):
        chunk = rows[start : start + TRANSACTION_ITEMS]
        for attempt in range(attempts):
            try:
                with db.transaction() as tx:
                    for shipper_id, quota, remaining in chunk:
                        tx.update(
                            ShipperQuota(plan_key(mine_id, date), shipper_id),
                            actions=_quota_actions(mine_id, date, quota, remaining, now_ms),
                        )
                break
            except TransactWriteError:
                if attempt == attempts - 1:
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))


def quotas_for_plan(mine_id, date):
    """Every shipper's quota at a mine on a date."""
    return list(ShipperQuota.query(plan_key(mine_id, date)))


def quotas_for_shipper(shipper_id, date):
    """A shipper's quotas on a date, across mines."""
    return list(ShipperQuota.by_shipper.query(shipper_id, ShipperQuota.date == date))


def get_quota(shipper_id, mine_id, date):
    try:
        return ShipperQuota.get(plan_key(mine_id, date), shipper_id, consistent_read=True)
    except DoesNotExist:
        return None

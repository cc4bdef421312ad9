"""Quota plans, quota counters and the per-driver active-waybill claim: the dispatch domain's writes."""
from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.common import store as common_store
from backend.dispatch.models import QuotaPlan, ShipperQuota
from backend.waybills.models import Waybill


def plan_key(mine_id, date):
    return f"{mine_id}#{date}"


def active_value(driver_id):
    return f"active#{driver_id}"


def claim_active_op(driver_id, waybill_id):
    """A transaction step: the driver holds no other active waybill (fails if the claim exists)."""
    return common_store.unique_claim_op(active_value(driver_id), waybill_id)


def release_active_op(driver_id, waybill_id):
    """A transaction step freeing the driver when this waybill stops being theirs."""
    return common_store.unique_release_op(active_value(driver_id), waybill_id)


def active_owner(driver_id):
    """The waybill id a driver's active claim points at, or None."""
    return common_store.unique_owner(active_value(driver_id))


def drop_stale_active(driver_id, waybill_id):
    """Delete a claim left by a waybill that has since finished (only if it still names that waybill)."""
    try:
        with db.transaction() as tx:
            release_active_op(driver_id, waybill_id)(tx)
    except TransactWriteError:
        pass


def consume_quota_step(shipper_id, mine_id, date):
    """A transaction step taking one truck of the day's quota, only while used < quota."""
    item = ShipperQuota(plan_key(mine_id, date), shipper_id)
    return lambda tx: tx.update(item, actions=[ShipperQuota.used.add(1)],
                                condition=ShipperQuota.used < ShipperQuota.quota)


def release_quota_step(shipper_id, mine_id, date):
    """A transaction step giving one truck back (never below zero)."""
    item = ShipperQuota(plan_key(mine_id, date), shipper_id)
    return lambda tx: tx.update(item, actions=[ShipperQuota.used.add(-1)], condition=ShipperQuota.used > 0)


def get_plan(mine_id, date):
    try:
        return QuotaPlan.get(mine_id, date)
    except DoesNotExist:
        return None


def save_plan(plan):
    plan.save()
    return plan


def set_quota(*, mine_id, date, shipper_id, quota, remaining_trucks, now_ms):
    """Write a shipper's quota for the day, keeping the trucks already used (a recompute never resets use)."""
    item = ShipperQuota(plan_key(mine_id, date), shipper_id)
    item.update(actions=[ShipperQuota.mine_id.set(mine_id), ShipperQuota.date.set(date),
                         ShipperQuota.quota.set(quota), ShipperQuota.remaining_trucks.set(remaining_trucks),
                         ShipperQuota.used.set(ShipperQuota.used | 0), ShipperQuota.updated_at.set(now_ms)])


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


def active_waybills_of(driver_id, states):
    """A driver's waybills in any of `states` (the by_driver index, newest first, at most one read)."""
    return Waybill.by_driver.query(driver_id, filter_condition=Waybill.state.is_in(*states),
                                   scan_index_forward=False, limit=1)


def hall_loads(mine_id, *, product_id=None, min_freight_fen_per_t=None, cap=200):
    """Open loads published in the hall at one mine (the sparse `hall` index), oldest first."""
    condition = Waybill.state == "open"
    if product_id:
        condition &= Waybill.product_id == product_id
    if min_freight_fen_per_t:
        condition &= Waybill.freight_fen_per_t >= min_freight_fen_per_t
    return list(Waybill.hall.query(mine_id, filter_condition=condition, limit=cap))

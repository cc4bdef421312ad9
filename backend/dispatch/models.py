"""The daily balanced-hauling plan: per mine and date, and each shipper's truck quota and its use."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class QuotaPlan(Model):
    """One mine's capacity for one day, in kg and in trucks."""

    class Meta:
        table_name = "quota_plans"

    mine_id = UnicodeAttribute(hash_key=True)
    date = UnicodeAttribute(range_key=True)  # YYYY-MM-DD, Asia/Shanghai
    capacity_kg = NumberAttribute()  # production plan + inventory − reserved
    truck_load_kg = NumberAttribute()
    capacity_trucks = NumberAttribute()  # the smaller of coal_trucks and the gate's trucks in its open day
    coal_trucks = NumberAttribute(null=True)  # capacity_kg // truck_load_kg: what the coal alone would fill
    gate_trucks_per_hour = NumberAttribute(null=True)  # loading lanes × trucks per lane-hour (the gate's board)
    open_hours = NumberAttribute(null=True)  # the site's loading day (its slot template)
    allotted_trucks = NumberAttribute()
    shippers = NumberAttribute()
    computed_at = NumberAttribute()
    lock_until = NumberAttribute(null=True)  # only on the "lock#<date>" item (dispatch.store.claim_plan_lock)


class QuotasByShipper(GlobalSecondaryIndex):
    """A shipper's quotas for a date, across mines."""

    class Meta:
        index_name = "by_shipper"
        projection = AllProjection()

    shipper_id = UnicodeAttribute(hash_key=True)
    date = UnicodeAttribute(range_key=True)


class ShipperQuota(Model):
    """Trucks a shipper may send to a mine on a date; `used` counts grabs and dispatches (used ≤ quota)."""

    class Meta:
        table_name = "shipper_quotas"

    plan_key = UnicodeAttribute(hash_key=True)  # "<mine_id>#<date>"
    shipper_id = UnicodeAttribute(range_key=True)
    mine_id = UnicodeAttribute()
    date = UnicodeAttribute()
    quota = NumberAttribute()
    used = NumberAttribute(default=0)
    remaining_trucks = NumberAttribute()
    updated_at = NumberAttribute()
    by_shipper = QuotasByShipper()

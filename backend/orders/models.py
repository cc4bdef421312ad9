"""A shipper's allocations: coal it bought at a mine, and how much is not yet turned into loads."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class AllocationsByMine(GlobalSecondaryIndex):
    """Every shipper holding coal at a mine (the quota planner's input)."""

    class Meta:
        index_name = "by_mine"
        projection = AllProjection()

    mine_id = UnicodeAttribute(hash_key=True)
    shipper_id = UnicodeAttribute(range_key=True)


class Allocation(Model):
    """Purchased volume of one product at one mine; remaining_kg falls as bulk orders make loads."""

    class Meta:
        table_name = "allocations"

    shipper_id = UnicodeAttribute(hash_key=True)
    allocation_key = UnicodeAttribute(range_key=True)  # "<mine_id>#<product_id>"
    mine_id = UnicodeAttribute()
    product_id = UnicodeAttribute()
    purchased_kg = NumberAttribute()
    remaining_kg = NumberAttribute()
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    by_mine = AllocationsByMine()

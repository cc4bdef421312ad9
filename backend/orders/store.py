"""Allocations and the transactions that turn orders into waybills without overselling."""

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.common import store as common_store
from backend.common.transactions import StepRecorder
from backend.orders.models import Allocation


class OutOfStock(Exception):
    """The product has less available than the order asks for."""


class AllocationShort(Exception):
    """The allocation has less remaining than the bulk order asks for."""


def allocation_key(mine_id, product_id):
    return f"{mine_id}#{product_id}"


def get_allocation(shipper_id, mine_id, product_id):
    try:
        return Allocation.get(shipper_id, allocation_key(mine_id, product_id), consistent_read=True)
    except DoesNotExist:
        return None


def list_allocations(shipper_id, *, limit, last_evaluated_key):
    """One page of a shipper's allocations."""
    query = lambda **kw: Allocation.query(shipper_id, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def allocations_at_mine(mine_id):
    """Every allocation at a mine (for the daily quota plan; not a request path)."""
    return list(Allocation.by_mine.query(mine_id))


def add_allocation(*, shipper_id, mine_id, product_id, kg, now_ms):
    """Add purchased volume (creates the allocation on first purchase)."""
    allocation = Allocation(shipper_id, allocation_key(mine_id, product_id))
    allocation.update(
        actions=[
            Allocation.mine_id.set(mine_id),
            Allocation.product_id.set(product_id),
            Allocation.purchased_kg.add(kg),
            Allocation.remaining_kg.add(kg),
            Allocation.created_at.set(Allocation.created_at | now_ms),
            Allocation.updated_at.set(now_ms),
        ]
    )
    return get_allocation(shipper_id, mine_id, product_id)


def allocation_return_op(shipper_id, mine_id, product_id, kg):
    """A transaction step giving a cancelled load's volume back to its allocation."""
    allocation = Allocation(shipper_id, allocation_key(mine_id, product_id))
    return lambda tx: tx.update(
        allocation, actions=[Allocation.remaining_kg.add(kg)], condition=Allocation.shipper_id.exists()
    )


def create_retail(waybill, *, reserve_step, create_step, payment_step=None):
    """Reserve the stock and create the waybill (and its awaited payment) in one transaction: all or none."""
    recorder = None
    try:
        with db.transaction() as tx:
            recorder = StepRecorder(tx)
            recorder.step = "stock"
            reserve_step(recorder)
            recorder.step = "waybill"
            create_step(recorder)
            if payment_step:
                recorder.step = "payment"
                payment_step(recorder)
    except TransactWriteError as error:
        if recorder and recorder.failed_steps(error) == ["stock"]:
            raise OutOfStock() from error
        raise
    return waybill


def create_bulk(waybills, *, create_steps, shipper_id, mine_id, product_id, now_ms):
    """Draw N loads from the allocation and create their N waybills in one transaction (N ≤ 99)."""
    total = sum(w.tonnage_kg for w in waybills)
    allocation = Allocation(shipper_id, allocation_key(mine_id, product_id))
    recorder = None
    try:
        with db.transaction() as tx:
            recorder = StepRecorder(tx)
            recorder.step = "allocation"
            recorder.update(
                allocation,
                actions=[Allocation.remaining_kg.add(-total), Allocation.updated_at.set(now_ms)],
                condition=Allocation.remaining_kg >= total,
            )
            recorder.step = "waybills"
            for step in create_steps:
                step(recorder)
    except TransactWriteError as error:
        if recorder and recorder.failed_steps(error) == ["allocation"]:
            raise AllocationShort() from error
        raise
    return waybills

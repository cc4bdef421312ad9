"""Waybill reads and the one conditional transaction that moves a waybill between states."""
from dataclasses import dataclass
from typing import Callable

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.common import store as common_store
from backend.common.transactions import StepRecorder
from backend.waybills.models import Waybill, WaybillEvent


@dataclass
class TxOp:
    """A step another domain adds to a transition's transaction, and the error if its condition fails."""

    apply: Callable  # apply(tx) adds the step to a pynamodb TransactWrite
    error: Exception


class VersionConflict(Exception):
    """The waybill changed between read and write."""


def get(waybill_id, consistent=True):
    try:
        return Waybill.get(waybill_id, consistent_read=consistent)
    except DoesNotExist:
        return None


def create(waybill):
    """Insert a new waybill at version 0."""
    waybill.save(condition=Waybill.waybill_id.does_not_exist())
    return waybill


def create_op(waybill):
    """A transaction step inserting a new waybill (orders create many in one transaction)."""
    return lambda tx: tx.save(waybill, condition=Waybill.waybill_id.does_not_exist())


def _set_actions(changes):
    actions = []
    for name, value in changes.items():
        attribute = getattr(Waybill, name)
        actions.append(attribute.remove() if value is None else attribute.set(value))
    return actions


def apply_transition(waybill, *, action, to_state, event, changes, extra_ops, token=None):
    """Move state and bump version only if nobody else did first; history and extra steps in the same transaction."""
    actions = [Waybill.state.set(to_state), Waybill.version.set(waybill.version + 1),
               Waybill.updated_at.set(event.at)] + _set_actions(changes)
    condition = (Waybill.state == waybill.state) & (Waybill.version == waybill.version)
    recorder = None
    try:
        with db.transaction(client_request_token=token) as tx:
            recorder = StepRecorder(tx)  # items go out checks/deletes/puts/updates, not in this order
            recorder.step = "waybill"
            recorder.update(waybill, actions=actions, condition=condition)
            recorder.step = "event"
            recorder.save(event, condition=WaybillEvent.version.does_not_exist())
            for index, op in enumerate(extra_ops):
                recorder.step = index
                op.apply(recorder)
    except TransactWriteError as error:
        failed = recorder.failed_steps(error) if recorder else []
        conflicts = recorder.failed_steps(error, "TransactionConflict") if recorder else []
        if failed and "waybill" not in failed and "event" not in failed:
            raise extra_ops[failed[0]].error from error
        if not getattr(error, "cancellation_reasons", None) or failed or conflicts:
            raise VersionConflict() from error
        raise
    return _applied(waybill, to_state=to_state, at=event.at, changes=changes)


def _applied(waybill, *, to_state, at, changes):
    """The waybill as the committed transaction left it, without reading it back."""
    waybill.state, waybill.version, waybill.updated_at = to_state, waybill.version + 1, at
    for name, value in changes.items():
        setattr(waybill, name, value)
    return waybill


def history(waybill_id):
    """Every transition of a waybill, oldest first."""
    return list(WaybillEvent.query(waybill_id, scan_index_forward=True))


_INDEXES = {"driver": Waybill.by_driver, "carrier": Waybill.by_carrier, "shipper": Waybill.by_shipper,
            "buyer": Waybill.by_buyer, "mine": Waybill.by_mine, "hall": Waybill.hall,
            "vehicle": Waybill.by_vehicle}


def list_by(party, key, *, limit, last_evaluated_key, state=None, newest_first=True):
    """One page of waybills through the index for a party (driver, carrier, shipper, buyer, mine, hall, vehicle)."""
    index = _INDEXES[party]
    condition = (Waybill.state == state) if state else None
    query = lambda **kw: index.query(key, filter_condition=condition, scan_index_forward=not newest_first, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)

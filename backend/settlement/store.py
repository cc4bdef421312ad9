"""Settlement records: terms by key (one BatchGet with the adjustments), a waybill's adjustments, the job's cursor."""

from pynamodb.exceptions import DoesNotExist, UpdateError

from backend.common.batch import Read, get_many
from backend.common.errors import Conflict
from backend.common.transactions import TxOp
from backend.settlement.models import SettleCursor, SettlementAdjustments, SettlementTerms


def terms_id(mine_id, shipper_id=None):
    """The key of the mine's terms, or of a shipper's contract at the mine."""
    return f"shipper:{shipper_id}@{mine_id}" if shipper_id else f"mine:{mine_id}"


def _terms_reads(mine_id, shipper_id):
    keys = [terms_id(mine_id, shipper_id)] if shipper_id else []
    keys.append(terms_id(mine_id))
    return [Read(SettlementTerms, key) for key in keys]


def candidates(mine_id, shipper_id):
    """The shipper's contract then the mine's: the first found applies (one BatchGetItem)."""
    return [record for record in get_many(*_terms_reads(mine_id, shipper_id)) if record is not None]


def candidates_and_adjustments(mine_id, shipper_id, waybill_id):
    """(terms candidates, the waybill's adjustments record or None) in one consistent BatchGetItem."""
    reads = _terms_reads(mine_id, shipper_id)
    *terms, adjustments = get_many(*reads, Read(SettlementAdjustments, waybill_id))
    return [record for record in terms if record is not None], adjustments


def save(record):
    record.save()
    return record


def add_adjustment(waybill_id, adjustment):
    """Append one adjustment unless the settlement closed the record; Conflict adjustments_closed otherwise."""
    actions = [
        SettlementAdjustments.adjustments.set((SettlementAdjustments.adjustments | []).append([adjustment])),
        SettlementAdjustments.version.add(1),
    ]
    try:
        SettlementAdjustments(waybill_id).update(
            actions=actions, condition=SettlementAdjustments.closed_at.does_not_exist()
        )
    except UpdateError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise Conflict("adjustments_closed", "this waybill is settled: no adjustment any more") from None
        raise
    return SettlementAdjustments.get(waybill_id, consistent_read=True)


def close_op(waybill_id, *, version, now_ms):
    """The settlement's step: close the adjustments as read (version); one added meanwhile fails it."""
    unchanged = (
        SettlementAdjustments.version == version
        if version
        else SettlementAdjustments.version.does_not_exist() | (SettlementAdjustments.version == 0)
    )
    actions = [SettlementAdjustments.closed_at.set(now_ms)]
    return TxOp(
        apply=lambda tx: tx.update(SettlementAdjustments(waybill_id), actions=actions, condition=unchanged),
        error=Conflict("adjustments_changed", "an adjustment was added while settling; settle again"),
    )


def get_adjustments(waybill_id):
    try:
        return SettlementAdjustments.get(waybill_id, consistent_read=True)
    except DoesNotExist:
        return None


def cursor(mine_id):
    """The state index key the mine's last run stopped after, or None (start from the oldest)."""
    try:
        return SettleCursor.get(mine_id, consistent_read=True).after
    except DoesNotExist:
        return None


def save_cursor(mine_id, after, *, now_ms):
    SettleCursor(mine_id, after=after, updated_at=now_ms).save()

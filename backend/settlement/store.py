"""Contract terms records: read by key (one BatchGet for a waybill's two candidates), saved whole."""

from backend.common.batch import Read, get_many
from backend.settlement.models import SettlementTerms


def terms_id(mine_id, shipper_id=None):
    """The key of the mine's terms, or of a shipper's contract at the mine."""
    return f"shipper:{shipper_id}@{mine_id}" if shipper_id else f"mine:{mine_id}"


def candidates(mine_id, shipper_id):
    """The shipper's contract then the mine's: the first found applies (one BatchGetItem)."""
    keys = [terms_id(mine_id, shipper_id)] if shipper_id else []
    keys.append(terms_id(mine_id))
    found = get_many(*[Read(SettlementTerms, key) for key in keys])
    return [record for record in found if record is not None]


def save(record):
    record.save()
    return record

"""Waybills an earlier version wrote (facts in `extra`, no derived index keys) are brought up to the model once."""

import json

from backend.common.clock import now_ms
from backend.waybills import migrate, store
from backend.waybills.models import Waybill
from tests.builders import random_ref


def _old_item(**extra):
    """A raw item as the previous version stored it: facts in `extra`, no state_at."""
    waybill_id, at = random_ref("wb"), now_ms()
    item = {
        "waybill_id": {"S": waybill_id},
        "state": {"S": "assigned"},
        "version": {"N": "1"},
        "mine_id": {"S": "mine_hll"},
        "product_id": {"S": "raw"},
        "tonnage_kg": {"N": "34000"},
        "shipper_id": {"S": "org_s"},
        "driver_id": {"S": "u_d"},
        "created_at": {"N": str(at)},
        "updated_at": {"N": str(at)},
        "extra": {"S": json.dumps(extra)},
    }
    client = Waybill._get_connection().connection.client
    client.put_item(TableName=Waybill.Meta.table_name, Item=item)
    return waybill_id, at


def test_old_facts_become_attributes_and_extra_goes(app):
    quote = {"road_distance_m": 120_000, "total_fen": 2_000_000}
    waybill_id, at = _old_item(
        kind="bulk",
        ordered_by="u_s",
        via="hall",
        quote=quote,
        quota={"shipper_id": "org_s", "mine_id": "mine_hll", "date": "2026-11-29"},
    )
    assert migrate.migrate() >= 1
    waybill = store.get(waybill_id)
    assert (waybill.kind, waybill.ordered_by, waybill.via, waybill.quota_date) == ("bulk", "u_s", "hall", "2026-11-29")
    assert waybill.quote == quote and waybill.state_at == f"assigned#{at}"
    raw = Waybill._get_connection().connection.client.get_item(
        TableName=Waybill.Meta.table_name, Key={"waybill_id": {"S": waybill_id}}
    )["Item"]
    assert "extra" not in raw


def test_a_second_run_changes_nothing(app):
    waybill_id, _ = _old_item(kind="retail")
    migrate.migrate()
    before = store.get(waybill_id)
    migrate.migrate()
    after = store.get(waybill_id)
    assert (
        (after.kind, after.version, after.updated_at)
        == (before.kind, before.version, before.updated_at)
        == ("retail", 1, before.updated_at)
    )

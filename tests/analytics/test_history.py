"""The report SQL on DuckDB over a DynamoDB-layout export gives the numbers Python computes from the records."""

import gzip
import json
import os

from backend.analytics import export, history
from backend.common.clock import shanghai_midnight_ms
from tests.analytics.synthetic import make_day

DAY = "2026-04-02"
DELIVERED = ("unloaded", "confirmed", "settled")


def _expected(waybills):
    return {
        "planned": len(waybills),
        "delivered": sum(w.state in DELIVERED for w in waybills),
        "net_kg": sum(w.net_kg or 0 for w in waybills),
        "received_kg": sum(w.received_kg or 0 for w in waybills),
    }


def test_report_sql_on_the_export_matches_python(app, tmp_path):
    from backend.waybills import service as waybills

    with app.app_context():
        made = make_day(DAY, loads=9, seed=5)
        result = export.export_tables(now_ms=shanghai_midnight_ms(DAY), base=str(tmp_path))
        folder = result["exports"][0]
        mine_waybills, _ = waybills.list_by("mine", made["mine_id"], limit=100, last_evaluated_key=None)
    start = shanghai_midnight_ms(DAY)
    rows = history.run_duckdb("party_days", [start, start + 86400000], exports={"waybills": folder})
    by_party = {(r["kind"], r["party"]): r for r in rows}
    day_index = (start + 8 * 3600 * 1000) // 86400000
    for kind, party in (("mine", made["mine_id"]), ("shipper", made["shipper_id"])):
        row = by_party[(kind, party)]
        assert row["day_index"] == day_index
        assert {k: int(row[k]) for k in ("planned", "delivered", "net_kg", "received_kg")} == _expected(mine_waybills)
    assert _expected(mine_waybills)["delivered"] > 0  # the day really has deliveries to count


def test_export_has_the_dynamodb_export_layout(app, tmp_path):
    with app.app_context():
        folder = export.export_tables(now_ms=1, base=str(tmp_path))["exports"][0]
    summary = json.load(open(os.path.join(folder, "manifest-summary.json")))
    files = [json.loads(line) for line in open(os.path.join(folder, "manifest-files.json"))]
    assert summary["outputFormat"] == "DYNAMODB_JSON" and summary["itemCount"] == sum(f["itemCount"] for f in files)
    with gzip.open(os.path.join(folder, files[0]["dataFileS3Key"]), "rt") as handle:
        first = json.loads(handle.readline())
    assert "S" in first["Item"]["waybill_id"]
    assert export.newest("waybills", base=str(tmp_path)) == folder

"""Reports from the exported history: generated per cadence, listed per party, XLSX and printable page open."""

import io
from datetime import date

from openpyxl import load_workbook

from backend.analytics import reports, service
from tests.analytics.synthetic import make_day
from tests.builders import headers_for, make_user

DAY = date(2026, 5, 31)  # a Sunday and a month's last day: the daily, weekly and monthly reports are all due


def test_periods_due_follow_the_calendar():
    assert [c for c, *_ in reports.periods_due(date(2026, 5, 30))] == ["daily"]
    assert reports.periods_due(DAY)[1:] == [("weekly", date(2026, 5, 25), DAY), ("monthly", date(2026, 5, 1), DAY)]


def test_reports_are_listed_downloaded_and_kept_to_their_party(app, client, tmp_path):
    with app.app_context():
        made = make_day(DAY.isoformat(), loads=9, seed=17)
        mine = made["mine_id"]
        result = service.generate_reports(
            day=DAY, now_ms=1, only={("mine", mine), ("shipper", made["shipper_id"])}, export_base=str(tmp_path)
        )
        dispatcher, own_gate = make_user("dispatcher"), make_user("gate", mine_id=mine)
        other_gate = make_user("gate", mine_id="mine_hll")
    assert result == {"reports": 6}
    listed = client.get(f"/api/analytics/reports?kind=mine&party={mine}", headers=headers_for(dispatcher)).json["items"]
    assert [r["cadence"] for r in listed] == ["daily", "weekly", "monthly"]  # newest period start first
    assert client.get("/api/analytics/reports", headers=headers_for(own_gate)).json["items"][0]["party"] == mine

    base = f"/api/analytics/reports/mine/{mine}/monthly/2026-05-01"
    sheet = client.get(f"{base}/xlsx", headers=headers_for(dispatcher))
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[-1][0] == "total" and rows[-1][1] == 9  # nine loads planned that month at this mine
    page = client.get(f"{base}/html", headers=headers_for(own_gate))
    assert page.status_code == 200 and b"<table" in page.data and b"2026-05-31" in page.data
    refused = client.get(f"{base}/xlsx", headers=headers_for(other_gate))
    assert refused.status_code == 403
    missing = client.get(f"/api/analytics/reports/mine/{mine}/monthly/2026-04-01/xlsx", headers=headers_for(dispatcher))
    assert missing.status_code == 404
    bad = client.get(f"/api/analytics/reports/mine/{mine}/monthly/2026-05-01/pdf", headers=headers_for(dispatcher))
    assert bad.status_code == 400 and "fmt" in bad.json["error"]["details"]["fields"]


def test_a_manager_chooses_the_reports_a_role_receives(app, client, tmp_path):
    with app.app_context():
        made = make_day("2026-06-28", loads=3, seed=23)  # a Sunday: daily and weekly are due
        mine = made["mine_id"]
        service.generate_reports(day=date(2026, 6, 28), now_ms=1, only={("mine", mine)}, export_base=str(tmp_path))
        dispatcher, gate = make_user("dispatcher"), make_user("gate", mine_id=mine)
    chose = client.put(
        "/api/analytics/report-choices/gate", json={"cadences": ["weekly"]}, headers=headers_for(dispatcher)
    )
    assert chose.status_code == 200
    try:
        seen = client.get("/api/analytics/reports", headers=headers_for(gate)).json["items"]
        assert [r["cadence"] for r in seen] == ["weekly"]
        by_role = {
            c["role"]: c["cadences"]
            for c in client.get("/api/analytics/report-choices", headers=headers_for(dispatcher)).json["items"]
        }
        assert by_role["gate"] == ["weekly"] and by_role["shipper"] == ["daily", "weekly", "monthly"]
        refused = client.put(
            "/api/analytics/report-choices/gate", json={"cadences": ["weekly"]}, headers=headers_for(gate)
        )
        assert refused.status_code == 403
        bad = client.put("/api/analytics/report-choices/driver", json={"cadences": []}, headers=headers_for(dispatcher))
        assert bad.status_code == 400 and "role" in bad.json["error"]["details"]["fields"]
    finally:  # other tests' gates read every cadence
        client.put(
            "/api/analytics/report-choices/gate",
            json={"cadences": ["daily", "monthly", "weekly"]},
            headers=headers_for(dispatcher),
        )

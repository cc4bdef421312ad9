"""Reports from the exported history: generated per cadence, listed per party, XLSX and printable page open."""

import io
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from backend.analytics import reports, service
from tests.analytics.synthetic import make_day
from tests.builders import headers_for, make_user

DAY = date(2026, 5, 31)  # a Sunday and a month's last day: the daily, weekly and monthly reports are all due


def test_periods_due_follow_the_calendar():
    assert [c for c, *_ in reports.periods_due(date(2026, 5, 30))] == ["daily"]
    assert reports.periods_due(DAY)[1:] == [("weekly", date(2026, 5, 25), DAY), ("monthly", date(2026, 5, 1), DAY)]


def test_a_long_report_prints_on_several_pages_each_with_the_table_head():
    rows = [
        {"day": f"2026-05-{d:02d}", "planned": 9, "delivered": 8, "fulfilment": 0.8889, "net_t": 270.5}
        | {"received_t": 270.1, "loss_t": 0.4}
        for d in range(1, 32)
    ] * 3  # a quarter's days: more than one A4 page holds
    listing = {"cadence": "monthly", "kind": "shipper", "party": "s1", "party_name": "晋北煤业", "start": "2026-03-01"}
    listing |= {"end": "2026-05-31", "totals": reports.totals(rows)}
    document = PdfReader(io.BytesIO(reports.pdf(listing, rows)))
    texts = [page.extract_text() for page in document.pages]
    assert len(texts) >= 3
    assert all("Fulfilment" in text for text in texts)  # the head repeats on every page
    assert "晋北煤业" in texts[0] and "Total" in texts[-1] and f"page {len(texts)}" in texts[-1]


def test_reports_are_listed_downloaded_and_kept_to_their_party(app, client, tmp_path):
    with app.app_context():
        made = make_day(DAY.isoformat(), loads=9, seed=17)
        mine = made["mine_id"]
        result = service.generate_reports(
            day=DAY, now_ms=1, only={("mine", mine), ("shipper", made["shipper_id"])}, export_base=str(tmp_path)
        )
        dispatcher, own_gate = make_user("dispatcher"), make_user("gate", mine_id=mine)
        other_gate = make_user("gate", mine_id="mine_hll")
    assert result["reports"] == 6
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
    printed = client.get(f"{base}/pdf", headers=headers_for(own_gate))
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    document = PdfReader(io.BytesIO(printed.data))
    assert len(document.pages) == 1 and "2026-05-31" in document.pages[0].extract_text()
    bad = client.get(f"/api/analytics/reports/mine/{mine}/monthly/2026-05-01/docx", headers=headers_for(dispatcher))
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


def test_a_subscriber_finds_a_new_report_in_their_inbox_with_a_link(app, client, tmp_path):
    with app.app_context():
        made = make_day("2026-06-27", loads=2, seed=29)  # a Saturday: only the daily report is due
        mine = made["mine_id"]
        reader, quiet = make_user("gate", mine_id=mine), make_user("gate", mine_id=mine)
    offered = client.get("/api/analytics/subscription", headers=headers_for(reader)).json
    assert offered == {"cadences": [], "available": ["daily", "weekly", "monthly"]}
    chose = client.put("/api/analytics/subscription", json={"cadences": ["daily"]}, headers=headers_for(reader))
    assert chose.status_code == 200 and chose.json["cadences"] == ["daily"]
    bad = client.put("/api/analytics/subscription", json={"cadences": ["hourly"]}, headers=headers_for(reader))
    assert bad.status_code == 400 and "cadences" in bad.json["error"]["details"]["fields"]
    with app.app_context():
        for _ in range(2):  # the job runs again (a retry): nobody is told twice
            service.generate_reports(day=date(2026, 6, 27), now_ms=2, only={("mine", mine)}, export_base=str(tmp_path))
    inbox = client.get("/api/inbox", headers=headers_for(reader)).json["items"]
    ready = [m for m in inbox if m["kind"] == "report_ready"]
    assert len(ready) == 1 and ready[0]["link"] == "#/reports" and ready[0]["params"]["start"] == "2026-06-27"
    assert not [m for m in client.get("/api/inbox", headers=headers_for(quiet)).json["items"] if "report" in m["kind"]]

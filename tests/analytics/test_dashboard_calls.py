"""A dashboard costs the same DynamoDB calls whatever the history behind its aggregates; bad input is a 400."""

from datetime import date, timedelta

from backend.analytics import store
from tests.builders import headers_for, make_user, random_ref
from tests.callcount import count_calls

TO = date(2026, 5, 31)


def _history(days, mines):
    """`days` of per-mine aggregates for `mines` fresh mines (what `days` x mines of waybills would leave)."""
    ids = [random_ref("mine") for _ in range(mines)]
    items = {}
    for d in range(days):
        day = (TO - timedelta(days=d)).isoformat()
        for mine in ids:
            items[(f"mine#{mine}", f"d#{day}")] = {"loaded": 40 + d % 7, "out_kg": 1_200_000, "planned": 45}
            items[(f"mine#{mine}", f"h#{day}T09")] = {"loaded": 5, "out_kg": 150_000}
    store.replace(items, 0)
    return ids


def _calls(client, headers, mine_id):
    path = f"/api/analytics/dashboard?theme=capacity&date_from=2026-03-02&date_to={TO}&mine_id={mine_id}"
    with count_calls() as calls:
        reply = client.get(path, headers=headers)
    assert reply.status_code == 200, reply.json
    return list(calls), reply.json


def test_dashboard_calls_are_flat_from_a_day_to_a_quarter_of_history(app, client):
    with app.app_context():
        small, large = _history(1, 1)[0], _history(90, 3)[0]
        headers = headers_for(make_user("dispatcher"))
    few, one_day = _calls(client, headers, small)
    many, quarter = _calls(client, headers, large)
    assert few == many and len(many) <= 4, (few, many)
    assert one_day["totals"]["loaded"] < quarter["totals"]["loaded"]  # the quarter really was read


def test_a_gate_reads_only_its_own_mine(app, client):
    with app.app_context():
        gate = make_user("gate", mine_id="mine_hll")
    reply = client.get(
        "/api/analytics/dashboard?date_from=2026-05-01&date_to=2026-05-02&mine_id=mine_other", headers=headers_for(gate)
    )
    assert reply.status_code == 403 and reply.json["error"]["code"] == "forbidden_tenant"


def test_reversed_or_too_long_dates_name_the_field(app, client):
    with app.app_context():
        headers = headers_for(make_user("dispatcher"))
    reversed_ = client.get("/api/analytics/dashboard?date_from=2026-05-02&date_to=2026-05-01", headers=headers)
    too_long = client.get("/api/analytics/dashboard?date_from=2025-01-01&date_to=2026-05-01", headers=headers)
    bad_theme = client.get("/api/analytics/dashboard?theme=x&date_from=2026-05-01&date_to=2026-05-01", headers=headers)
    assert reversed_.status_code == 400 and "date_from" in reversed_.json["error"]["details"]["fields"]
    assert too_long.status_code == 400 and "date_to" in too_long.json["error"]["details"]["fields"]
    assert bad_theme.status_code in (400, 422) and "theme" in str(bad_theme.json["error"]["details"])

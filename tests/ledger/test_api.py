"""The ledger API: each party sees only its own accounts; statements as JSON pages, CSV and XLSX files."""

import csv
import io

import pytest

from backend.common.clock import shanghai_midnight_ms
from backend.ledger import service as ledger
from tests.builders import headers_for, make_org, make_user, random_ref

DAY_TEXT = "2026-04-02"
MIDNIGHT = shanghai_midnight_ms(DAY_TEXT)


@pytest.fixture
def parties(app):
    with app.app_context():
        carrier_org = make_org("carrier")
        users = {
            "carrier": make_user("carrier", org_id=carrier_org.org_id),
            "other_carrier": make_user("carrier", org_id=make_org("carrier").org_id),
            "buyer": make_user("buyer"),
            "dispatcher": make_user("dispatcher"),
        }
    carrier = ledger.account("carrier", carrier_org.org_id)
    wallet = ledger.account("buyer_wallet", users["buyer"].user_id)
    sales = ledger.account("sales", random_ref("mine"))
    ledger.post(
        entry_id=random_ref("e"),
        legs=[(sales, -10_900), (carrier, 10_900)],
        memo="运费 freight",
        now_ms=MIDNIGHT + 3_600_000,
        waybill_id="wb_api_1",
    )
    return users, carrier, wallet


def get(client, app, user, url, **params):
    with app.app_context():
        headers = headers_for(user)
    return client.get(url, headers=headers, query_string=params)


def test_a_carrier_sees_its_own_balance_and_not_another_carriers(client, app, parties):
    users, carrier, _ = parties
    mine = get(client, app, users["carrier"], f"/api/ledger/accounts/{carrier}/balance")
    assert mine.status_code == 200 and mine.json["balance"] == 10_900
    theirs = get(client, app, users["other_carrier"], f"/api/ledger/accounts/{carrier}/balance")
    assert theirs.status_code == 404 and theirs.json["error"]["code"] == "account_not_found"
    stolen = get(
        client,
        app,
        users["other_carrier"],
        "/api/ledger/statements",
        account=carrier,
        **{"from": DAY_TEXT},
        to=DAY_TEXT,
    )
    assert stolen.status_code == 404
    dispatch = get(client, app, users["dispatcher"], f"/api/ledger/accounts/{carrier}/balance")
    assert dispatch.json["balance"] == 10_900


def test_a_buyer_without_naming_an_account_gets_their_wallet(client, app, parties):
    users, _, wallet = parties
    reply = get(client, app, users["buyer"], "/api/ledger/statements", **{"from": DAY_TEXT}, to=DAY_TEXT)
    assert reply.status_code == 200, reply.json
    assert reply.json["account"] == wallet and reply.json["entries"] == [] and reply.json["closing_balance"] == 0


def test_the_carrier_statement_links_waybills_and_carries_vat_lines(client, app, parties):
    users, carrier, _ = parties
    reply = get(client, app, users["carrier"], "/api/ledger/statements", **{"from": DAY_TEXT}, to=DAY_TEXT)
    assert reply.status_code == 200, reply.json
    (line,) = reply.json["entries"]
    assert line["waybill_id"] == "wb_api_1" and line["amount"] == 10_900
    assert line["invoice"] == {"amount_excl_tax": 10_000, "tax": 900, "total": 10_900, "rate_permille": 90}
    assert reply.json["opening_balance"] == 0 and reply.json["closing_balance"] == 10_900


def test_statement_downloads_as_csv_and_xlsx(client, app, parties):
    users, _, _ = parties
    args = {"from": DAY_TEXT, "to": DAY_TEXT}
    as_csv = get(client, app, users["carrier"], "/api/ledger/statements", format="csv", **args)
    assert as_csv.status_code == 200 and as_csv.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(as_csv.data.decode("utf-8-sig"))))
    assert rows[2][2:9] == ["运费 freight", "wb_api_1", "", "109.00", "109.00", "100.00", "9.00"]
    assert rows[-1][2] == "closing balance" and rows[-1][6] == "109.00"
    as_xlsx = get(client, app, users["carrier"], "/api/ledger/statements", format="xlsx", **args)
    assert as_xlsx.status_code == 200

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(as_xlsx.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[2][3] == "wb_api_1" and values[2][5] == "109.00"


def test_bad_periods_are_400s_naming_the_field(client, app, parties):
    users, _, _ = parties
    backwards = get(client, app, users["carrier"], "/api/ledger/statements", **{"from": "2026-04-03"}, to="2026-04-01")
    assert backwards.status_code == 400 and "to" in backwards.json["error"]["details"]["fields"]
    garbage = get(client, app, users["carrier"], "/api/ledger/statements", **{"from": "yesterday"}, to=DAY_TEXT)
    assert garbage.status_code == 400 and "from" in garbage.json["error"]["details"]["fields"]
    dispatcher = get(client, app, users["dispatcher"], "/api/ledger/statements", **{"from": DAY_TEXT}, to=DAY_TEXT)
    assert dispatcher.status_code == 400 and "account" in dispatcher.json["error"]["details"]["fields"]

"""Shippers' prepaid money through the API, per mine's sales company: limits, transfers once, positions, receivables."""

import uuid

import pytest

from backend.ledger import service as ledger
from tests.builders import headers_for, make_org, make_user, random_ref
from tests.orders.helpers import make_mine


@pytest.fixture
def people(app):
    with app.app_context():
        shipper = make_org("shipper")
        other = make_org("shipper")
        return {
            "shipper_org": shipper,
            "other_org": other,
            "shipper": make_user("shipper", org_id=shipper.org_id),
            "other_shipper": make_user("shipper", org_id=other.org_id),
            "dispatcher": make_user("dispatcher"),
            "admin": make_user("admin"),
            "carrier": make_user("carrier", org_id=make_org("carrier").org_id),
            "mine": make_mine(),  # each mine is its own sales company
            "other_mine": make_mine(),
        }


def call(client, app, user, method, url, body=None, *, key=None, **params):
    with app.app_context():
        headers = headers_for(user, idempotency_key=key)
    return getattr(client, method)(url, headers=headers, json=body, query_string=params)


def prepay(client, app, user, org_id, amount, reference, *, key=None, mine_id):
    body = {"shipper_org_id": org_id, "mine_id": mine_id, "amount_fen": amount, "bank_reference": reference}
    return call(client, app, user, "post", "/api/ledger/prepayments", body, key=key)


def position(client, app, user, org_id, mine_id=None):
    params = {"mine_id": mine_id} if mine_id else {}
    return call(client, app, user, "get", f"/api/ledger/shippers/{org_id}/position", **params)


def limit(client, app, user, org_id, body):
    return call(client, app, user, "put", f"/api/ledger/credit-limits/{org_id}", body)


def test_a_credit_limit_is_per_mine_and_lets_the_shipper_spend_beyond_its_balance_there(client, app, people):
    org_id, mine, other = people["shipper_org"].org_id, people["mine"], people["other_mine"]
    reply = limit(client, app, people["dispatcher"], org_id, {"mine_id": mine, "limit_fen": 500_000})
    assert reply.status_code == 200, reply.json
    assert (reply.json["credit_limit"], reply.json["balance"], reply.json["available"]) == (500_000, 0, 500_000)
    assert reply.json["mine_id"] == mine and reply.json["account"] == ledger.prepaid_account(org_id, mine)
    lowered = limit(client, app, people["admin"], org_id, {"mine_id": mine, "limit_fen": 200_000})
    assert lowered.json["available"] == 200_000
    limit(client, app, people["admin"], org_id, {"mine_id": other, "limit_fen": 70_000})
    seen = position(client, app, people["shipper"], org_id, mine)
    assert seen.status_code == 200 and seen.json["credit_limit"] == 200_000 and seen.json["available"] == 200_000
    everywhere = position(client, app, people["shipper"], org_id).json  # the totals, and each mine apart
    rows = {row["mine_id"]: row for row in everywhere["mines"]}
    assert (rows[mine]["credit_limit"], rows[other]["credit_limit"]) == (200_000, 70_000)
    assert everywhere["credit_limit"] == 270_000 and everywhere["account"] is None and everywhere["entries"] == []


def test_the_same_bank_transfer_recorded_twice_moves_money_once(client, app, people):
    org_id = people["shipper_org"].org_id
    reference = f"HX{uuid.uuid4().hex[:10].upper()}"
    mine = people["mine"]
    first = prepay(client, app, people["dispatcher"], org_id, 1_234_500, reference, mine_id=mine)
    assert first.status_code == 200, first.json
    assert first.json["recorded"] is True and first.json["balance"] == 1_234_500
    # The same transfer typed again by someone else, lower case with spaces and a full-width digit.
    typed = " ".join(reference.lower()[i : i + 4] for i in range(0, len(reference), 4)).replace("1", "１")
    again = prepay(client, app, people["admin"], org_id, 1_234_500, typed, mine_id=mine)
    assert again.status_code == 200 and again.json["recorded"] is False
    assert again.json["bank_reference"] == reference
    assert ledger.balance(ledger.prepaid_account(org_id, mine)) == 1_234_500
    assert ledger.balance(ledger.prepaid_account(org_id, people["other_mine"])) == 0  # the other sales company's
    entries = position(client, app, people["shipper"], org_id, mine).json["entries"]
    assert [e["amount"] for e in entries] == [1_234_500]


def test_a_replayed_request_replays_and_a_reference_of_another_transfer_is_refused(client, app, people):
    org_id, other_id = people["shipper_org"].org_id, people["other_org"].org_id
    reference, key, mine = f"REF{uuid.uuid4().hex[:12]}", uuid.uuid4().hex, people["mine"]
    first = prepay(client, app, people["dispatcher"], org_id, 50_000, reference, key=key, mine_id=mine)
    replay = prepay(client, app, people["dispatcher"], org_id, 50_000, reference, key=key, mine_id=mine)
    assert replay.status_code == 200 and replay.json == first.json and first.json["recorded"] is True
    taken = prepay(client, app, people["dispatcher"], other_id, 50_000, reference, mine_id=mine)
    assert taken.status_code == 409 and taken.json["error"]["code"] == "bank_reference_used"
    changed = prepay(client, app, people["dispatcher"], org_id, 60_000, reference, mine_id=mine)
    elsewhere = prepay(client, app, people["dispatcher"], org_id, 50_000, reference, mine_id=people["other_mine"])
    assert changed.status_code == elsewhere.status_code == 409
    assert ledger.balance(ledger.prepaid_account(other_id, mine)) == 0
    assert ledger.balance(ledger.prepaid_account(org_id, mine)) == 50_000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount_fen": 0, "bank_reference": "ABCD1234"}, "amount_fen"),
        ({"amount_fen": 10.5, "bank_reference": "ABCD1234"}, "amount_fen"),
        ({"amount_fen": "100", "bank_reference": "ABCD1234"}, "amount_fen"),
        ({"amount_fen": 10**15, "bank_reference": "ABCD1234"}, "amount_fen"),
        ({"amount_fen": 100}, "bank_reference"),
        ({"amount_fen": 100, "bank_reference": "a?"}, "bank_reference"),
        ({"amount_fen": 100, "bank_reference": "   "}, "bank_reference"),
        ({"amount_fen": 100, "bank_reference": "ABCD1234", "mine_id": None}, "mine_id"),
    ],
)
def test_a_bad_prepayment_is_refused_naming_the_field(client, app, people, body, field):
    body = {"shipper_org_id": people["shipper_org"].org_id, "mine_id": people["mine"], **body}
    reply = call(client, app, people["dispatcher"], "post", "/api/ledger/prepayments", body)
    assert reply.status_code == 400 and field in reply.json["error"]["details"]["fields"], reply.json


@pytest.mark.parametrize("fen", [-1, 1.5, 10**15, None])
def test_a_bad_credit_limit_is_refused_naming_the_field(client, app, people, fen):
    reply = limit(
        client, app, people["dispatcher"], people["shipper_org"].org_id, {"mine_id": people["mine"], "limit_fen": fen}
    )
    assert reply.status_code == 400 and "limit_fen" in reply.json["error"]["details"]["fields"], reply.json
    nameless = limit(client, app, people["dispatcher"], people["shipper_org"].org_id, {"limit_fen": 1})
    assert nameless.status_code == 400 and "mine_id" in nameless.json["error"]["details"]["fields"]


def test_unknown_shippers_and_carriers_are_not_found(client, app, people):
    carrier_org = people["carrier"].org_id
    mine = people["mine"]
    for org_id in (random_ref("org"), carrier_org):
        limited = limit(client, app, people["admin"], org_id, {"mine_id": mine, "limit_fen": 1})
        paid = prepay(client, app, people["admin"], org_id, 100, f"X{uuid.uuid4().hex[:8]}", mine_id=mine)
        seen = position(client, app, people["dispatcher"], org_id)
        assert [r.status_code for r in (limited, paid, seen)] == [404, 404, 404]
        assert paid.json["error"]["code"] == "org_not_found"
    org_id = people["shipper_org"].org_id
    nowhere = limit(client, app, people["admin"], org_id, {"mine_id": "mine_nosuch", "limit_fen": 1})
    assert nowhere.status_code == 404 and nowhere.json["error"]["code"] == "mine_not_found"
    assert position(client, app, people["shipper"], org_id, "mine_nosuch").status_code == 404


def test_shippers_cannot_set_limits_record_money_or_see_another_shipper(client, app, people):
    org_id, mine = people["shipper_org"].org_id, people["mine"]
    limited = limit(client, app, people["shipper"], org_id, {"mine_id": mine, "limit_fen": 10**9})
    paid = prepay(client, app, people["shipper"], org_id, 10**9, f"SELF{uuid.uuid4().hex[:8]}", mine_id=mine)
    owed = call(client, app, people["shipper"], "get", "/api/ledger/receivables")
    assert [r.status_code for r in (limited, paid, owed)] == [403, 403, 403]
    assert position(client, app, people["other_shipper"], org_id).status_code == 403
    assert position(client, app, people["carrier"], org_id).status_code == 403
    account = ledger.prepaid_account(org_id, mine)
    assert ledger.credit_limit(account) == 0 and ledger.balance(account) == 0
    # Statements per mine: the shipper's own account at any mine, never another shipper's.
    own = call(
        client,
        app,
        people["shipper"],
        "get",
        "/api/ledger/statements",
        account=account,
        to="2030-01-01",
        **{"from": "2020-01-01"},
    )
    theirs = call(
        client,
        app,
        people["other_shipper"],
        "get",
        "/api/ledger/statements",
        account=account,
        to="2030-01-01",
        **{"from": "2020-01-01"},
    )
    assert (own.status_code, theirs.status_code) == (200, 404)


def test_receivables_show_what_owing_shippers_owe_and_each_mines_sales(client, app, people):
    owing_id, paid_id = people["shipper_org"].org_id, people["other_org"].org_id
    mine_id = people["mine"]
    sales = ledger.account("sales", mine_id)
    before = call(client, app, people["dispatcher"], "get", "/api/ledger/receivables", mine_id=mine_id).json
    ledger.set_credit_limit(owing_id, 1_000_000, mine_id=mine_id)
    prepay(client, app, people["dispatcher"], paid_id, 300_000, f"IN{uuid.uuid4().hex[:10]}", mine_id=mine_id)
    for org_id, fen in ((owing_id, 700_000), (paid_id, 100_000)):  # loads settled from prepaid to the mine's sales
        legs = [(ledger.prepaid_account(org_id, mine_id), -fen), (sales, fen)]
        ledger.post(entry_id=random_ref("load"), legs=legs, memo="煤款 coal", now_ms=1_800_000_000_000)
    reply = call(client, app, people["admin"], "get", "/api/ledger/receivables", mine_id=mine_id)
    assert reply.status_code == 200, reply.json
    [mine] = reply.json["mines"]
    assert mine["mine_id"] == mine_id and mine["sales_balance"] == before["mines"][0]["sales_balance"] + 800_000
    owing = {row["org_id"]: row for row in reply.json["owing"]}
    assert owing[owing_id]["owing"] == 700_000 and owing[owing_id]["credit_limit"] == 1_000_000
    assert owing[owing_id]["mine_id"] == mine_id
    assert paid_id not in owing
    assert reply.json["total_owing"] == before["total_owing"] + 700_000
    names = {row["org_id"]: row["name"] for row in reply.json["shippers"]}
    assert names[paid_id] == people["other_org"].name
    unknown = call(client, app, people["dispatcher"], "get", "/api/ledger/receivables", mine_id="mine_nosuch")
    assert unknown.status_code == 404


def test_a_position_shows_the_newest_entries_first_at_a_cost_that_ignores_history(client, app, people):
    from tests.callcount import count_calls

    org_id, mine = people["shipper_org"].org_id, people["mine"]
    prepay(client, app, people["dispatcher"], org_id, 100, f"FIRST{uuid.uuid4().hex[:8]}", mine_id=mine)
    with count_calls() as calls:
        position(client, app, people["shipper"], org_id, mine)
    few = list(calls)
    assert few, "the hook counts nothing: the test would prove nothing"
    for n in range(2, 16):
        prepay(client, app, people["dispatcher"], org_id, n * 100, f"R{n:02d}{uuid.uuid4().hex[:8]}", mine_id=mine)
    with count_calls() as calls:
        seen = position(client, app, people["shipper"], org_id, mine).json
    assert calls == few, few  # org, the mines, their balance items (100 a call), newest lines: not the history
    assert seen["balance"] == sum(range(1, 16)) * 100
    assert [e["amount"] for e in seen["entries"]] == [n * 100 for n in range(15, 5, -1)]

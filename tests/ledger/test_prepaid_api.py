"""Shippers' prepaid money through the API: credit limits, bank transfers recorded once, positions, receivables."""

import uuid

import pytest

from backend.ledger import service as ledger
from tests.builders import headers_for, make_org, make_user, random_ref


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
        }


def call(client, app, user, method, url, body=None, *, key=None, **params):
    with app.app_context():
        headers = headers_for(user, idempotency_key=key)
    return getattr(client, method)(url, headers=headers, json=body, query_string=params)


def prepay(client, app, user, org_id, amount, reference, *, key=None):
    body = {"shipper_org_id": org_id, "amount_fen": amount, "bank_reference": reference}
    return call(client, app, user, "post", "/api/ledger/prepayments", body, key=key)


def position(client, app, user, org_id):
    return call(client, app, user, "get", f"/api/ledger/shippers/{org_id}/position")


def test_a_credit_limit_lets_the_shipper_spend_beyond_its_balance(client, app, people):
    org_id = people["shipper_org"].org_id
    reply = call(
        client, app, people["dispatcher"], "put", f"/api/ledger/credit-limits/{org_id}", {"limit_fen": 500_000}
    )
    assert reply.status_code == 200, reply.json
    assert (reply.json["credit_limit"], reply.json["balance"], reply.json["available"]) == (500_000, 0, 500_000)
    lowered = call(client, app, people["admin"], "put", f"/api/ledger/credit-limits/{org_id}", {"limit_fen": 200_000})
    assert lowered.json["available"] == 200_000
    seen = position(client, app, people["shipper"], org_id)
    assert seen.status_code == 200 and seen.json["credit_limit"] == 200_000 and seen.json["available"] == 200_000


def test_the_same_bank_transfer_recorded_twice_moves_money_once(client, app, people):
    org_id = people["shipper_org"].org_id
    reference = f"HX{uuid.uuid4().hex[:10].upper()}"
    first = prepay(client, app, people["dispatcher"], org_id, 1_234_500, reference)
    assert first.status_code == 200, first.json
    assert first.json["recorded"] is True and first.json["balance"] == 1_234_500
    # The same transfer typed again by someone else, lower case with spaces and a full-width digit.
    typed = " ".join(reference.lower()[i : i + 4] for i in range(0, len(reference), 4)).replace("1", "１")
    again = prepay(client, app, people["admin"], org_id, 1_234_500, typed)
    assert again.status_code == 200 and again.json["recorded"] is False
    assert again.json["bank_reference"] == reference
    assert ledger.balance(ledger.account("shipper_prepaid", org_id)) == 1_234_500
    entries = position(client, app, people["shipper"], org_id).json["entries"]
    assert [e["amount"] for e in entries] == [1_234_500]


def test_a_replayed_request_replays_and_a_reference_of_another_transfer_is_refused(client, app, people):
    org_id, other_id = people["shipper_org"].org_id, people["other_org"].org_id
    reference, key = f"REF{uuid.uuid4().hex[:12]}", uuid.uuid4().hex
    first = prepay(client, app, people["dispatcher"], org_id, 50_000, reference, key=key)
    replay = prepay(client, app, people["dispatcher"], org_id, 50_000, reference, key=key)
    assert replay.status_code == 200 and replay.json == first.json and first.json["recorded"] is True
    taken = prepay(client, app, people["dispatcher"], other_id, 50_000, reference)
    assert taken.status_code == 409 and taken.json["error"]["code"] == "bank_reference_used"
    changed = prepay(client, app, people["dispatcher"], org_id, 60_000, reference)
    assert changed.status_code == 409
    assert ledger.balance(ledger.account("shipper_prepaid", other_id)) == 0
    assert ledger.balance(ledger.account("shipper_prepaid", org_id)) == 50_000


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
    ],
)
def test_a_bad_prepayment_is_refused_naming_the_field(client, app, people, body, field):
    body = {"shipper_org_id": people["shipper_org"].org_id, **body}
    reply = call(client, app, people["dispatcher"], "post", "/api/ledger/prepayments", body)
    assert reply.status_code == 400 and field in reply.json["error"]["details"]["fields"], reply.json


@pytest.mark.parametrize("limit", [-1, 1.5, 10**15, None])
def test_a_bad_credit_limit_is_refused_naming_the_field(client, app, people, limit):
    url = f"/api/ledger/credit-limits/{people['shipper_org'].org_id}"
    reply = call(client, app, people["dispatcher"], "put", url, {"limit_fen": limit})
    assert reply.status_code == 400 and "limit_fen" in reply.json["error"]["details"]["fields"], reply.json


def test_unknown_shippers_and_carriers_are_not_found(client, app, people):
    carrier_org = people["carrier"].org_id
    for org_id in (random_ref("org"), carrier_org):
        limit = call(client, app, people["admin"], "put", f"/api/ledger/credit-limits/{org_id}", {"limit_fen": 1})
        paid = prepay(client, app, people["admin"], org_id, 100, f"X{uuid.uuid4().hex[:8]}")
        seen = position(client, app, people["dispatcher"], org_id)
        assert [r.status_code for r in (limit, paid, seen)] == [404, 404, 404]
        assert paid.json["error"]["code"] == "org_not_found"


def test_shippers_cannot_set_limits_record_money_or_see_another_shipper(client, app, people):
    org_id = people["shipper_org"].org_id
    limit = call(client, app, people["shipper"], "put", f"/api/ledger/credit-limits/{org_id}", {"limit_fen": 10**9})
    paid = prepay(client, app, people["shipper"], org_id, 10**9, f"SELF{uuid.uuid4().hex[:8]}")
    owed = call(client, app, people["shipper"], "get", "/api/ledger/receivables")
    assert [r.status_code for r in (limit, paid, owed)] == [403, 403, 403]
    assert position(client, app, people["other_shipper"], org_id).status_code == 403
    assert position(client, app, people["carrier"], org_id).status_code == 403
    assert ledger.credit_limit(org_id) == 0 and ledger.balance(ledger.account("shipper_prepaid", org_id)) == 0


def test_receivables_show_what_owing_shippers_owe_and_each_mines_sales(client, app, people):
    owing_id, paid_id = people["shipper_org"].org_id, people["other_org"].org_id
    mine_id = "mine_hll"
    sales = ledger.account("sales", mine_id)
    before = call(client, app, people["dispatcher"], "get", "/api/ledger/receivables", mine_id=mine_id).json
    ledger.set_credit_limit(owing_id, 1_000_000)
    prepay(client, app, people["dispatcher"], paid_id, 300_000, f"IN{uuid.uuid4().hex[:10]}")
    for org_id, fen in ((owing_id, 700_000), (paid_id, 100_000)):  # loads settled from prepaid to the mine's sales
        legs = [(ledger.account("shipper_prepaid", org_id), -fen), (sales, fen)]
        ledger.post(entry_id=random_ref("load"), legs=legs, memo="煤款 coal", now_ms=1_800_000_000_000)
    reply = call(client, app, people["admin"], "get", "/api/ledger/receivables", mine_id=mine_id)
    assert reply.status_code == 200, reply.json
    [mine] = reply.json["mines"]
    assert mine["mine_id"] == mine_id and mine["sales_balance"] == before["mines"][0]["sales_balance"] + 800_000
    owing = {row["org_id"]: row for row in reply.json["owing"]}
    assert owing[owing_id]["owing"] == 700_000 and owing[owing_id]["credit_limit"] == 1_000_000
    assert paid_id not in owing
    assert reply.json["total_owing"] == before["total_owing"] + 700_000
    names = {row["org_id"]: row["name"] for row in reply.json["shippers"]}
    assert names[paid_id] == people["other_org"].name
    unknown = call(client, app, people["dispatcher"], "get", "/api/ledger/receivables", mine_id="mine_nosuch")
    assert unknown.status_code == 404


def test_a_position_shows_the_newest_entries_first_at_a_cost_that_ignores_history(client, app, people):
    from tests.callcount import count_calls

    org_id = people["shipper_org"].org_id
    prepay(client, app, people["dispatcher"], org_id, 100, f"FIRST{uuid.uuid4().hex[:8]}")
    with count_calls() as calls:
        position(client, app, people["shipper"], org_id)
    few = list(calls)
    assert few, "the hook counts nothing: the test would prove nothing"
    for n in range(2, 16):
        prepay(client, app, people["dispatcher"], org_id, n * 100, f"R{n:02d}{uuid.uuid4().hex[:8]}")
    with count_calls() as calls:
        seen = position(client, app, people["shipper"], org_id).json
    assert calls == few and len(few) <= 3, few  # org, balance item, newest lines
    assert seen["balance"] == sum(range(1, 16)) * 100
    assert [e["amount"] for e in seen["entries"]] == [n * 100 for n in range(15, 5, -1)]

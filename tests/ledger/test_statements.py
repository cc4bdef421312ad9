"""Statements across Shanghai day boundaries, and the daily trial balance that closes the days."""

from backend.alerts.models import Alert
from backend.common.clock import shanghai_midnight_ms
from backend.ledger import service as ledger
from backend.ledger import trial
from backend.ledger.models import LedgerAccount
from tests.builders import random_ref
from tests.callcount import count_calls

DAY = 86_400_000
MIDNIGHT = shanghai_midnight_ms("2026-03-10")  # 00:00 Asia/Shanghai, 16:00 UTC the day before
HOUR = 3_600_000


def pay(source, target, fen, at, **links):
    ledger.post(entry_id=random_ref("e"), legs=[(source, -fen), (target, fen)], memo=f"{fen}", now_ms=at, **links)


def book():
    carrier = ledger.account("carrier", random_ref("org"))
    sales = ledger.account("sales", random_ref("mine"))
    return carrier, sales


def test_a_days_statement_opens_with_the_balance_at_midnight_and_closes_with_the_days_entries(app):
    carrier, sales = book()
    pay(sales, carrier, 1_000, MIDNIGHT - HOUR)  # the evening before
    pay(sales, carrier, 250, MIDNIGHT - 1)  # the last ms of that day
    pay(sales, carrier, 40, MIDNIGHT, waybill_id="wb_1")  # the first ms of the day
    pay(carrier, sales, 90, MIDNIGHT + DAY - 1)
    pay(sales, carrier, 7, MIDNIGHT + DAY)  # the next day
    day = ledger.statement(carrier, start_ms=MIDNIGHT, end_ms=MIDNIGHT + DAY, limit=100)
    assert day["opening_balance"] == 1_250
    assert [e["amount"] for e in day["entries"]] == [40, -90]
    assert [e["balance_after"] for e in day["entries"]] == [1_290, 1_200]
    assert day["entries"][0]["waybill_id"] == "wb_1"
    assert day["closing_balance"] == 1_200
    following = ledger.statement(carrier, start_ms=MIDNIGHT + DAY, end_ms=MIDNIGHT + 2 * DAY, limit=100)
    assert following["opening_balance"] == day["closing_balance"]
    assert following["closing_balance"] == 1_207 == ledger.balance(carrier)


def test_pages_carry_the_running_balance_and_the_last_page_closes(app):
    carrier, sales = book()
    for n in range(5):
        pay(sales, carrier, 100 + n, MIDNIGHT + n * HOUR)
    pages, cursor = [], None
    while True:
        page = ledger.statement(carrier, start_ms=MIDNIGHT, end_ms=MIDNIGHT + DAY, limit=2, cursor=cursor)
        pages.append(page)
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [len(p["entries"]) for p in pages] == [2, 2, 1]
    assert [p["closing_balance"] for p in pages] == [None, None, 510]
    assert pages[-1]["entries"][-1]["balance_after"] == 510
    assert pages[-1]["totals"]["in"] == 510


def test_the_opening_costs_one_day_closing_read_however_long_the_history(app):
    carrier, sales = book()
    for n in range(30):  # a month of history
        pay(sales, carrier, 10, MIDNIGHT - (n + 1) * DAY)
    pay(sales, carrier, 5, MIDNIGHT + HOUR)
    report = trial.run(now_ms=MIDNIGHT + 2 * HOUR, account_ids=[carrier, sales])
    assert report["mismatches"] == [] and report["sum"] == 0
    with count_calls() as calls:
        day = ledger.statement(carrier, start_ms=MIDNIGHT, end_ms=MIDNIGHT + DAY, limit=100)
    assert day["opening_balance"] == 300 and day["closing_balance"] == 305
    assert calls == ["Query", "Query"]  # the midnight closing, then the day's lines


def test_carrier_statements_carry_the_9_percent_vat_split_of_freight(app):
    carrier, sales = book()
    pay(sales, carrier, 10_900, MIDNIGHT + HOUR)
    pay(carrier, sales, 500, MIDNIGHT + 2 * HOUR)
    day = ledger.statement(carrier, start_ms=MIDNIGHT, end_ms=MIDNIGHT + DAY, limit=100)
    earned, paid = day["entries"]
    assert earned["invoice"] == {"amount_excl_tax": 10_000, "tax": 900, "total": 10_900, "rate_permille": 90}
    assert paid["invoice"] is None
    assert day["totals"]["tax"] == 900


def test_the_trial_balance_raises_an_alert_when_a_balance_strays_from_its_journal(app):
    carrier, sales = book()
    pay(sales, carrier, 1_000, MIDNIGHT - HOUR)
    LedgerAccount(carrier).update(actions=[LedgerAccount.balance.add(1)])  # a write that skipped the ledger
    report = trial.run(now_ms=MIDNIGHT + HOUR, account_ids=[carrier, sales])
    assert report["mismatches"] == [{"account": carrier, "balance": 1_001, "journal": 1_000}]
    raised = [a for a in Alert.by_status.query("open") if a.kind == "ledger_mismatch" and carrier in a.reason]
    assert len(raised) == 1


def test_the_scheduled_job_closes_today_over_the_accounts_it_is_given(app):
    from backend import jobs

    carrier, sales = book()
    pay(sales, carrier, 300, MIDNIGHT)
    report = jobs.trial_balance(account_ids=[carrier, sales])
    assert report["items"] == 2 and report["sum"] == 0 and report["mismatches"] == []
    assert ledger.balance_at(carrier, report["day_end"]) == 300

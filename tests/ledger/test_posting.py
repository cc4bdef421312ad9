"""Postings against DynamoDB Local: balances move together, once per entry id, never below what a kind allows."""

import threading

import pytest

from backend.common.errors import Conflict
from backend.ledger import service as ledger
from tests.builders import random_ref

NOW = 1_780_000_000_000


def accounts():
    buyer, carrier = random_ref("u"), random_ref("org")
    return (
        ledger.account("buyer_wallet", buyer),
        ledger.account("provider", random_ref("prov")),
        ledger.account("carrier", carrier),
    )


def test_a_posting_moves_both_sides_and_replaying_its_entry_id_changes_nothing(app):
    wallet, provider, _ = accounts()
    entry_id = random_ref("topup")
    assert ledger.post(entry_id=entry_id, legs=[(provider, -5000), (wallet, 5000)], memo="top-up", now_ms=NOW)
    again = ledger.post(entry_id=entry_id, legs=[(provider, -5000), (wallet, 5000)], memo="top-up", now_ms=NOW + 1)
    assert again is False
    assert ledger.balance(wallet) == 5000
    assert ledger.balance(provider) == -5000
    assert ledger.entry(entry_id).memo == "top-up"


def test_a_wallet_cannot_pay_more_than_it_holds_and_the_refused_posting_leaves_no_trace(app):
    wallet, provider, carrier = accounts()
    ledger.post(entry_id=random_ref("e"), legs=[(provider, -300), (wallet, 300)], memo="top-up", now_ms=NOW)
    refused = random_ref("e")
    with pytest.raises(Conflict) as caught:
        ledger.post(entry_id=refused, legs=[(wallet, -301), (carrier, 301)], memo="pay", now_ms=NOW)
    assert caught.value.code == "insufficient_funds"
    assert caught.value.details["account"] == wallet
    assert ledger.balance(wallet) == 300 and ledger.balance(carrier) == 0
    assert ledger.entry(refused) is None


def test_a_shipper_may_go_down_to_its_credit_limit_and_no_further(app):
    shipper, mine = random_ref("org"), random_ref("mine")
    prepaid, sales = ledger.prepaid_account(shipper, mine), ledger.account("sales", mine)
    with pytest.raises(Conflict):
        ledger.post(entry_id=random_ref("e"), legs=[(prepaid, -1), (sales, 1)], memo="coal", now_ms=NOW)
    ledger.set_credit_limit(shipper, 10_000, mine_id=mine)
    ledger.post(entry_id=random_ref("e"), legs=[(prepaid, -10_000), (sales, 10_000)], memo="coal", now_ms=NOW)
    assert ledger.balance(prepaid) == -10_000
    with pytest.raises(Conflict):
        ledger.post(entry_id=random_ref("e"), legs=[(prepaid, -1), (sales, 1)], memo="coal", now_ms=NOW)
    ledger.set_credit_limit(shipper, 12_000, mine_id=mine)
    ledger.post(entry_id=random_ref("e"), legs=[(prepaid, -2_000), (sales, 2_000)], memo="coal", now_ms=NOW)
    assert ledger.balance(prepaid) == -12_000 and ledger.credit_limit(prepaid) == 12_000


def test_the_clearing_account_spreads_over_shards_and_its_balance_sums_them(app):
    wallet, _, _ = accounts()
    clearing = ledger.account("clearing")
    before = ledger.balance(clearing)
    for n in range(20):
        ledger.post(entry_id=random_ref("e"), legs=[(clearing, -100), (wallet, 100)], memo="in", now_ms=NOW + n)
    assert ledger.balance(clearing) == before - 2000
    assert ledger.balance(wallet) == 2000


def test_steps_join_a_callers_transaction_and_a_replay_fails_it_with_already_posted(app):
    from backend.ledger import store  # the owner's own transaction runner stands in for a caller's

    wallet, provider, _ = accounts()
    entry_id = random_ref("e")
    steps = ledger.posting_steps(entry_id=entry_id, legs=[(provider, -70), (wallet, 70)], memo="m", now_ms=NOW)
    store.run(steps)
    with pytest.raises(store.AlreadyPosted):
        store.run(steps)
    assert steps[0].error.code == "already_posted" and ledger.is_already_posted(steps[0].error)
    assert ledger.balance(wallet) == 70


def test_a_hundred_concurrent_payments_from_one_wallet_leave_an_exact_balance_never_below_zero(app):
    wallet, provider, carrier = accounts()
    ledger.post(entry_id=random_ref("e"), legs=[(provider, -7_000), (wallet, 7_000)], memo="top-up", now_ms=NOW)
    outcomes, errors = [], []

    def pay(n):
        try:
            outcomes.append(
                ledger.post(entry_id=f"{wallet}-pay-{n}", legs=[(wallet, -100), (carrier, 100)], memo="pay", now_ms=NOW)
            )
        except Conflict as error:
            errors.append(error.code)

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 70 and set(errors) == {"insufficient_funds"} and len(errors) == 30
    assert ledger.balance(wallet) == 0
    assert ledger.balance(carrier) == 7_000


def test_posted_tells_at_once_which_entry_ids_are_done(app):
    wallet, provider, _ = accounts()
    done = random_ref("e")
    ledger.post(entry_id=done, legs=[(provider, -1), (wallet, 1)], memo="m", now_ms=NOW, waybill_id="wb_posted")
    assert ledger.posted([done, random_ref("e"), done]) == {done}
    assert ledger.posted([]) == set()

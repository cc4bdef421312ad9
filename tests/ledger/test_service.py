"""The ledger's rules on plain values: legs balance in integer fen, account ids, VAT lines."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.ledger import service as ledger

ACCOUNTS = [ledger.account(kind, f"o{n}") for kind in ("buyer_wallet", "carrier", "sales") for n in range(3)]
legs = st.lists(st.tuples(st.sampled_from(ACCOUNTS), st.integers(-(10**9), 10**9)), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(legs)
def test_legs_are_accepted_exactly_when_they_sum_to_zero(raw):
    total = sum(amount for _, amount in raw)
    nonzero = any(sum(amount for account, amount in raw if account == a) != 0 for a in {account for account, _ in raw})
    if total != 0 or not nonzero:
        with pytest.raises(ValueError):
            ledger.balanced(raw)
    else:
        merged = ledger.balanced(raw)
        assert sum(amount for _, amount in merged) == 0
        assert len({account for account, _ in merged}) == len(merged)  # one leg per account (one item per write)


@pytest.mark.parametrize("amount", [100.0, "100", True, None])
def test_amounts_must_be_integer_fen(amount):
    with pytest.raises(ValueError):
        ledger.balanced([(ACCOUNTS[0], amount), (ACCOUNTS[1], -100)])


def test_account_ids_name_a_kind_and_an_owner():
    assert ledger.account("escrow", "wb_1") == "escrow:wb_1"
    assert ledger.parse("shipper_prepaid:org_9") == ("shipper_prepaid", "org_9")
    assert ledger.account("clearing") == "clearing:platform"
    for bad in ("wallet:u1", "carrier:", "carrier:a#01", "nonsense"):
        with pytest.raises(ValueError):
            ledger.parse(bad)
    with pytest.raises(ValueError):
        ledger.account("pocket", "u1")


def test_a_replayed_entry_is_refused_by_its_first_step_with_already_posted():
    steps = ledger.posting_steps(
        entry_id="e1", legs=[(ACCOUNTS[0], 5), (ACCOUNTS[1], -5)], memo="m", now_ms=1, waybill_id="wb"
    )
    assert len(steps) == 5  # the entry, then a balance and a journal line per leg
    assert steps[0].error.code == "already_posted" and ledger.is_already_posted(steps[0].error)
    assert {step.error.code for step in steps[1::2]} == {"insufficient_funds"}  # balance, journal, ... per leg


@settings(max_examples=500, deadline=None)
@given(st.integers(1, 10**10))
def test_the_vat_split_adds_up_and_is_the_nearest_fen_to_9_percent(total):
    line = ledger.invoice_line("carrier", total)
    assert line["amount_excl_tax"] + line["tax"] == total
    assert abs(line["amount_excl_tax"] * 109 - total * 100) <= 109 // 2 + 1  # within half a fen of total / 1.09


def test_only_freight_earned_gets_an_invoice_line():
    assert ledger.invoice_line("carrier", -100) is None
    assert ledger.invoice_line("buyer_wallet", 100) is None

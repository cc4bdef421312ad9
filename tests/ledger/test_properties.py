"""Any sequence of postings on DynamoDB Local keeps Σ balances = 0, guarded accounts ≥ 0, balance = journal."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.common.errors import Conflict
from backend.ledger import service as ledger
from backend.ledger import trial
from tests.builders import random_ref

KINDS = ("buyer_wallet", "escrow", "carrier", "sales", "provider", "clearing")
GUARDED = {"buyer_wallet", "escrow", "carrier"}
postings = st.lists(
    st.lists(st.tuples(st.integers(0, len(KINDS) - 1), st.integers(-5_000, 5_000)), min_size=1, max_size=4),
    min_size=1,
    max_size=8,
)


def _closed(raw):
    """Legs made to balance: the provider takes the difference (money from or to the outside)."""
    legs = [(KINDS[i], amount) for i, amount in raw if KINDS[i] != "provider"]
    return legs + [("provider", -sum(amount for _, amount in legs))]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(postings)
def test_any_sequence_of_postings_keeps_the_books_balanced(app, sequence):
    owner = random_ref("p")
    ids = {kind: ledger.account(kind, owner if kind != "clearing" else f"{owner}x") for kind in KINDS}
    ids["clearing"] = ledger.account("clearing")  # the real, sharded one: its balance is compared as a change
    clearing_before = ledger.balance(ids["clearing"])
    expected = dict.fromkeys(KINDS, 0)
    for raw in sequence:
        legs = {}
        for kind, amount in _closed(raw):
            legs[kind] = legs.get(kind, 0) + amount
        if not any(legs.values()):
            continue
        would = {kind: expected[kind] + amount for kind, amount in legs.items()}
        refused = any(would[kind] < 0 and legs[kind] < 0 for kind in GUARDED & set(legs))
        try:
            ledger.post(entry_id=random_ref("e"), legs=[(ids[k], a) for k, a in legs.items()], memo="p", now_ms=1_000)
            assert not refused
            expected.update(would)
        except Conflict as error:
            assert refused and error.code == "insufficient_funds"
    actual = {kind: ledger.balance(ids[kind]) for kind in KINDS}
    actual["clearing"] -= clearing_before
    assert actual == expected
    assert sum(actual.values()) == 0
    assert all(actual[kind] >= 0 for kind in GUARDED)
    report = trial.run(now_ms=2_000, account_ids=[ids[k] for k in KINDS if k != "clearing"])
    assert [m for m in report["mismatches"] if m["account"] != "Σ"] == []

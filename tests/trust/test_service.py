"""Score arithmetic on plain counters: bounded, monotone per signal, deterministic, ranking as people expect."""

import random
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.trust import scoring, weights

ROLES = ("driver", "carrier", "shipper", "buyer")
counts_strategy = st.fixed_dictionaries({s.name: st.integers(min_value=0, max_value=500) for s in weights.SIGNALS})


@settings(max_examples=300, deadline=None)
@given(counts=counts_strategy, role=st.sampled_from(ROLES))
def test_a_score_is_always_between_0_and_100(counts, role):
    assert 0 <= scoring.score(counts, role) <= 100


@settings(max_examples=300, deadline=None)
@given(
    counts=counts_strategy,
    role=st.sampled_from(ROLES),
    signal=st.sampled_from([s for s in weights.SIGNALS if s.name not in weights.HARD_GATES]),
    more=st.integers(min_value=1, max_value=50),
)
def test_one_more_event_never_moves_the_score_against_its_sign(counts, role, signal, more):
    before = scoring.score(counts, role)
    after = scoring.score(dict(counts, **{signal.name: counts[signal.name] + more}), role)
    if signal.points > 0:
        assert after >= before
    else:
        assert after <= before


@settings(max_examples=200, deadline=None)
@given(counts=counts_strategy, role=st.sampled_from(ROLES))
def test_the_same_counters_give_the_same_score_in_any_order(counts, role):
    shuffled = dict(random.sample(list(counts.items()), len(counts)))
    assert scoring.summary(counts, role) == scoring.summary(shuffled, role)


@settings(max_examples=200, deadline=None)
@given(counts=counts_strategy)
def test_a_confirmed_fake_plate_holds_a_driver_at_zero(counts):
    assert scoring.score(dict(counts, fake_plate=1), "driver") == 0


def test_the_explanation_adds_up_to_the_score():
    counts = {"completed": 30, "no_show": 2, "rating_good": 4, "complaint_at_fault": 1}
    summary = scoring.summary(counts, "driver")
    assert summary["score"] == round(weights.BASE + sum(row["points"] for row in summary["breakdown"]))
    rows = {row["signal"]: row for row in summary["breakdown"]}
    assert rows["completed"]["points"] == 15 and rows["no_show"]["points"] == -10


def test_a_grade_appears_only_from_the_tenth_load():
    assert scoring.summary({"completed": 9}, "driver")["grade"] is None
    assert scoring.summary({"completed": 10}, "driver")["grade"] == "C"  # 60 + 5 = 65
    assert scoring.summary({"completed": 40, "rating_good": 10, "on_time": 20}, "driver")["grade"] == "A"


def test_signals_count_only_for_their_roles():
    assert scoring.score({"no_show": 10}, "shipper") == weights.BASE
    assert scoring.score({"no_show": 10}, "driver") < weights.BASE


def _history(rng, quality, days=90):
    """A party's 90 days as counters: `quality` in 0..1 sets how often each thing goes right."""
    counts = dict.fromkeys(weights.COUNTERS, 0)
    for _ in range(days):
        for _ in range(rng.randint(0, 2)):  # loads a day
            counts["completed"] += 1
            counts["on_time"] += rng.random() < quality
            counts["no_show"] += rng.random() < (1 - quality) * 0.15
            counts["cancel_after_grab"] += rng.random() < (1 - quality) * 0.2
            counts["loss_over_allowance"] += rng.random() < (1 - quality) * 0.1
            counts["complaint_at_fault"] += rng.random() < (1 - quality) * 0.05
            stars = 5 if rng.random() < quality else rng.choice((1, 2, 3))
            signal = weights.rating_signal(stars)
            if signal and rng.random() < 0.5:
                counts[signal] += 1
    return counts


def test_a_synthetic_90_days_of_1000_parties_ranks_the_tiers_in_order():
    rng = random.Random(13)
    tiers = {"reliable": 0.97, "ordinary": 0.8, "careless": 0.5}
    parties = [(tier, _history(rng, q)) for tier, q in tiers.items() for _ in range(334)][:1000]
    scored = sorted(((scoring.score(c, "driver"), tier) for tier, c in parties), reverse=True)
    mean = {t: sum(s for s, tt in scored if tt == t) / sum(1 for _, tt in scored if tt == t) for t in tiers}
    assert mean["reliable"] > mean["ordinary"] + 5 > mean["careless"] + 10
    top, bottom = scored[:100], scored[-100:]
    assert sum(t == "reliable" for _, t in top) >= 90  # the best tenth is nearly all reliable parties
    assert sum(t == "careless" for _, t in bottom) >= 90
    assert scored == sorted(((scoring.score(c, "driver"), t) for t, c in parties), reverse=True)  # deterministic


def test_the_documented_table_is_the_module_table():
    doc = (Path(__file__).parents[2] / "backend" / "trust" / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| ([-\d.]+) \|", doc, flags=re.M))
    assert {name: float(v) for name, v in rows.items()} == {s.name: float(s.points) for s in weights.SIGNALS}

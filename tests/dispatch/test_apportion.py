"""Largest-remainder apportionment: the properties the dispatch centre relies on."""

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.dispatch.apportion import apportion

shippers = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=4), st.integers(0, 500), max_size=40)
capacity = st.integers(0, 3000)


def exact_share(capacity_trucks, remaining, shipper):
    total = sum(remaining.values())
    if total <= capacity_trucks:
        return Fraction(remaining[shipper])
    return Fraction(capacity_trucks * remaining[shipper], total)


@settings(max_examples=300, deadline=None)
@given(capacity, shippers)
def test_sum_never_exceeds_capacity_and_each_never_exceeds_what_is_left(capacity_trucks, remaining):
    quotas = apportion(capacity_trucks, remaining)
    assert set(quotas) == set(remaining)
    assert sum(quotas.values()) <= capacity_trucks
    assert all(0 <= quotas[s] <= remaining[s] for s in remaining)


@settings(max_examples=300, deadline=None)
@given(capacity, shippers)
def test_each_quota_is_within_one_truck_of_its_exact_share(capacity_trucks, remaining):
    quotas = apportion(capacity_trucks, remaining)
    for shipper in remaining:
        assert abs(quotas[shipper] - exact_share(capacity_trucks, remaining, shipper)) < 1


@settings(max_examples=200, deadline=None)
@given(capacity, shippers)
def test_every_truck_is_handed_out_while_someone_still_wants_one(capacity_trucks, remaining):
    quotas = apportion(capacity_trucks, remaining)
    assert sum(quotas.values()) == min(capacity_trucks, sum(remaining.values()))


@settings(max_examples=200, deadline=None)
@given(capacity, shippers, st.randoms())
def test_result_does_not_depend_on_input_order(capacity_trucks, remaining, rnd):
    items = list(remaining.items())
    rnd.shuffle(items)
    assert apportion(capacity_trucks, dict(items)) == apportion(capacity_trucks, remaining)


def test_tie_goes_to_larger_remaining_volume_then_smaller_id():
    # 2 trucks for volumes 1, 4, 1 (shares 1/3, 4/3, 1/3): every remainder is 1/3, so volume decides.
    assert apportion(2, {"c": 1, "b": 4, "a": 1}) == {"a": 0, "b": 2, "c": 0}
    # 5 trucks for 3, 3, 2, 2 (shares 1.5, 1.5, 1, 1): x and y tie on remainder and volume; the id decides.
    assert apportion(5, {"y": 3, "x": 3, "p": 2, "q": 2}) == {"x": 2, "y": 1, "p": 1, "q": 1}


def test_everyone_gets_their_remaining_volume_when_capacity_covers_it():
    assert apportion(100, {"a": 3, "b": 0, "c": 7}) == {"a": 3, "b": 0, "c": 7}


def test_a_large_plan_is_fast_and_exact():
    remaining = {f"org_{i:04d}": random.Random(i).randint(0, 80) for i in range(1086)}
    quotas = apportion(5000, remaining)
    assert sum(quotas.values()) == min(5000, sum(remaining.values()))

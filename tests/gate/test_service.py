"""Weighing bounds and dual identification as rules on plain values (no DynamoDB, no devices)."""

from types import SimpleNamespace

import pytest

from backend.gate.identify import mismatch_reason
from backend.gate.settings import legal_gross_kg
from backend.gate.weighing import gross_problems, tare_problems

TRUCK = SimpleNamespace(tare_kg=15_000, rated_load_kg=34_000)
ORDER = SimpleNamespace(tonnage_kg=33_000)


def codes(problems):
    return [p["code"] for p in problems[0]]


@pytest.mark.parametrize("axles,limit", [(2, 18_000), (4, 31_000), (6, 49_000), (8, 49_000), (1, 18_000)])
def test_the_legal_gross_follows_the_axle_count(axles, limit):
    assert legal_gross_kg(axles) == limit


def test_a_load_within_every_bound_passes():
    assert codes(gross_problems(48_000, 33_000, 6, TRUCK, ORDER)) == []


def test_a_gross_over_the_legal_limit_for_its_axles_is_an_overload():
    assert codes(gross_problems(49_001, 33_000, 6, TRUCK, ORDER)) == ["over_legal_gross"]
    problems, limits = gross_problems(44_000, 29_000, 5, TRUCK, ORDER)  # legal at 6 axles, not at 5
    assert [p["code"] for p in problems] == ["over_legal_gross"] and limits["legal_gross_kg"] == 43_000


def test_net_over_the_rated_load_or_the_order_is_flagged_with_its_numbers():
    problems, limits = gross_problems(49_000, 34_500, 6, TRUCK, ORDER)
    assert [p["code"] for p in problems] == ["over_rated_load", "over_ordered"]
    assert limits["ordered_max_kg"] == 34_000  # ordered tonnage + the 1 t tolerance
    assert "34500" in problems[1]["message"]


def test_the_order_tolerance_allows_one_tonne_over():
    assert codes(gross_problems(49_000, 34_000, 6, None, ORDER)) == []  # no registry entry: no rated-load check


def test_tare_drift_is_judged_against_the_registry_and_the_recent_median():
    assert codes(tare_problems(16_500, TRUCK, [])) == []
    assert codes(tare_problems(16_501, TRUCK, [])) == ["tare_drift_registry"]
    assert codes(tare_problems(15_000, TRUCK, [17_000, 17_100, 30_000])) == ["tare_drift_recent"]
    assert codes(tare_problems(20_000, None, [])) == []  # nothing to compare with


def sighting(plate="陕K12345", vehicle_id="veh_1"):
    return SimpleNamespace(plate=plate, vehicle_id=vehicle_id)


def test_pass_and_plate_read_of_the_same_truck_agree():
    assert mismatch_reason(sighting(), SimpleNamespace(plate="陕K12345", vehicle_id="veh_1")) is None
    assert mismatch_reason(sighting(vehicle_id=None), SimpleNamespace(plate="陕K12345", vehicle_id="veh_1")) is None


def test_a_pass_for_another_plate_or_vehicle_is_a_mismatch_naming_both():
    reason = mismatch_reason(sighting(), SimpleNamespace(plate="陕K54321", vehicle_id="veh_1"))
    assert "陕K12345" in reason and "陕K54321" in reason
    assert "veh_2" in mismatch_reason(sighting(), SimpleNamespace(plate=None, vehicle_id="veh_2"))

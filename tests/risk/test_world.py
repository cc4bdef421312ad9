"""ml_models/fake_plate/world.py: reproducible, labelled, and free of look-ahead."""

import json

import pytest

from ml_models.fake_plate import fleet
from ml_models.fake_plate.world import WorldConfig, generate_world

TINY = WorldConfig(n_trucks=300, days=2)


def _fingerprint(world):
    return json.dumps([r for r in world.records], sort_keys=True, ensure_ascii=False)


def test_same_seed_gives_the_same_world():
    assert _fingerprint(generate_world(3, TINY)) == _fingerprint(generate_world(3, TINY))


def test_different_seeds_give_different_worlds():
    assert _fingerprint(generate_world(3, TINY)) != _fingerprint(generate_world(4, TINY))


def test_clones_carry_no_terminal_and_copy_a_registered_plate(small_world):
    clones = [t for t in small_world.trucks if t.clone_of is not None]
    assert clones
    for clone in clones:
        original = small_world.trucks[clone.clone_of]
        assert clone.terminal == "none"
        assert fleet.known_fix(clone, fleet.DAY_MS * 30_000) is None
        assert clone.plate == original.plate and original.clone_of is None
        assert small_world.registry[clone.plate] == original.idx


def test_twin_clones_match_model_and_colour(small_world):
    twins = [t for t in small_world.trucks if t.clone_kind == "twin"]
    assert twins
    for twin in twins:
        original = small_world.trucks[twin.clone_of]
        assert (twin.model, twin.vehicle_colour) == (original.model, original.vehicle_colour)


def test_labels_mark_exactly_the_sightings_of_clones(small_world):
    for record in small_world.records:
        vehicle = small_world.trucks[record["vehicle"]]
        assert record["label"] == int(vehicle.clone_of is not None)
    assert 0 < sum(r["label"] for r in small_world.records) < len(small_world.records) / 5


def test_world_holds_the_hard_cases(small_world):
    records = small_world.records
    assert any(r["misread"] for r in records)
    assert any(r["inputs"]["last_fix"] is None for r in records)
    assert {r["clone_kind"] for r in records if r["label"]} == {"dormant", "twin"}


def test_inputs_use_only_what_was_known_at_the_sighting(small_world):
    for record in small_world.records:
        inputs, ts = record["inputs"], record["ts"]
        assert inputs["sighting"]["ts"] == ts
        if inputs["last_fix"]:
            assert inputs["last_fix"]["ts"] <= ts
        if inputs["previous_sighting"]:
            assert inputs["previous_sighting"]["ts"] <= ts
        assert all(s["ts"] <= ts for s in inputs["recent_sightings"])


@pytest.mark.parametrize("plate_index", range(5))
def test_blind_zone_pings_are_unknown_until_uploaded(small_world, plate_index):
    truck = [t for t in small_world.trucks if t.blind_zones and t.terminal in ("ok", "silent")][plate_index]
    start, end = truck.blind_zones[0]
    inside = (start + end) // 2
    assert fleet.known_fix(truck, inside)["ts"] < start
    assert fleet.known_fix(truck, end)["ts"] >= start

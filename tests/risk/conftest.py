"""Fixtures for the fake-plate risk tests: one small synthetic world per session."""

import pytest

from backend.risk.features import compute_features
from ml_models.fake_plate.world import WorldConfig, generate_world

SMALL = WorldConfig(n_trucks=800, days=3)


@pytest.fixture(scope="session")
def small_world():
    """A world the committed model has never seen (neither training nor evaluation seed)."""
    return generate_world(4242, SMALL)


@pytest.fixture(scope="session")
def small_features(small_world):
    """compute_features output for every labelled sighting of the small world."""
    return [compute_features(**record["inputs"]) for record in small_world.records]

"""What a mine can still promise to orders (no DynamoDB)."""

from types import SimpleNamespace

import pytest

from backend.catalogue.service import available_kg


@pytest.mark.parametrize(
    "inventory,reserved,available,expected",
    [
        (100_000, 30_000, 70_000, 70_000),  # the counter kept with every reservation
        (100_000, 30_000, None, 70_000),  # records from before the counter: inventory − reserved
        (100_000, 30_000, -5_000, 0),  # trucks loaded more than was left: nothing to promise, never negative
        (10_000, 40_000, None, 0),
    ],
)
def test_available_is_what_is_not_reserved_and_never_negative(inventory, reserved, available, expected):
    product = SimpleNamespace(inventory_kg=inventory, reserved_kg=reserved, available_kg=available)
    assert available_kg(product) == expected

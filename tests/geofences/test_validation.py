"""Fence validation errors say what is wrong."""

import pytest

from backend.common.errors import ApiError
from backend.geofences.validation import validate_polygon
from backend.seed.geo import rectangle

GOOD = rectangle(110.33, 38.93, 400, 250)


def error_for(geometry):
    with pytest.raises(ApiError) as caught:
        validate_polygon(geometry)
    assert caught.value.code == "invalid_geometry"
    return caught.value.details["fields"]["geometry"][0]


def ring(*points):
    return {"type": "Polygon", "coordinates": [list(map(list, points))]}


def test_a_rectangle_of_a_mine_gate_is_valid():
    _, area = validate_polygon(GOOD)
    assert 95_000 < area < 105_000  # 400 m × 250 m


@pytest.mark.parametrize(
    "geometry, words",
    [
        ({"type": "Point", "coordinates": [110, 38]}, "Polygon"),
        (ring((110, 38), (110.01, 38), (110.01, 38.01), (110, 38.01)), "not closed"),
        (ring((110, 38), (110.01, 38), (110, 38)), "at least 4 positions"),
        (ring((200, 38), (200.01, 38), (200.01, 38.01), (200, 38)), "longitude 200"),
        (ring((38, 110), (38.01, 110), (38.01, 110.01), (38, 110)), "latitude 110"),
        (ring((110, 38), (110.01, 38.01), (110.01, 38), (110, 38.01), (110, 38)), "Self-intersection"),
        (ring((110, 38), (110.0001, 38), (110.0001, 38.0001), (110, 38)), "smaller than 100"),
        (ring((110, 38), (111, 38), (111, 39), (110, 39), (110, 38)), "larger than 50"),
        (ring((110, 38), ("x", 38), (110.01, 38.01), (110, 38)), "finite numbers"),
    ],
)
def test_invalid_polygons_are_refused_with_a_reason(geometry, words):
    assert words in error_for(geometry)

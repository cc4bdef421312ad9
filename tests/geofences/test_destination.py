"""A delivery point's arrival fence on plain values: a circle suited to the site, or the drawn yard, checked."""

import math

import pytest

from backend.common.errors import ApiError
from backend.geofences.service import circle, destination_fence
from backend.tracking.geometry import in_polygon

POINT = [110.2650, 39.2660]


def _east(metres):
    return [POINT[0] + metres / (111_320 * math.cos(math.radians(POINT[1]))), POINT[1]]


def test_a_circle_holds_what_is_inside_its_radius_and_nothing_beyond():
    fence = circle(POINT, 300)
    assert in_polygon(fence, _east(290)) and not in_polygon(fence, _east(310))
    ring = fence["coordinates"][0]
    assert ring[0] == ring[-1]


def test_a_drawn_yard_is_kept_as_drawn():
    yard = circle(POINT, 800, corners=5)
    assert destination_fence(point=POINT, polygon=yard) == {"polygon": yard, "radius_m": None}


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"radius_m": 20}, "radius_m"),
        ({"radius_m": 9000}, "radius_m"),
        ({"polygon": circle([111.0, 39.0], 300)}, "polygon"),  # far from the delivery point
        ({"polygon": {"type": "Polygon", "coordinates": [[POINT, POINT, POINT]]}}, "polygon"),
    ],
)
def test_a_fence_that_cannot_be_right_names_its_field(kwargs, field):
    with pytest.raises(ApiError) as refused:
        destination_fence(point=POINT, field="destination", **kwargs)
    assert f"destination.{field}" in refused.value.details["fields"]

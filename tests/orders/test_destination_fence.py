"""Every order made in the app gets an arrival fence at its delivery point (a drawn polygon, else a circle suited
to the site), which its buyer or shipper can redraw while the load is on its way."""

import math

import pytest

from backend.geofences.service import circle, destination_fence
from backend.tracking.geometry import in_polygon
from tests.builders import headers_for, make_user
from tests.orders.helpers import SITE, make_mine, place_bulk, place_retail, retail_body, shipper_with_allocation

POINT = SITE["point"]["coordinates"]


def _radius_m(polygon, point):
    """The mean distance of a fence's corners from the point, in metres."""
    kx = 111_320 * math.cos(math.radians(point[1]))
    ring = polygon["coordinates"][0][:-1]
    return sum(math.hypot((p[0] - point[0]) * kx, (p[1] - point[1]) * 110_540) for p in ring) / len(ring)


def _order(client, mine, destination):
    body = dict(retail_body(mine), destination=destination)
    return client.post("/api/orders/retail", json=body, headers=headers_for(make_user("buyer")))


@pytest.fixture
def mine(app):
    with app.app_context():
        yield make_mine()


def test_a_retail_order_gets_a_fence_around_its_delivery_point(client, mine):
    reply = place_retail(client, make_user("buyer"), mine)
    assert reply.status_code == 201, reply.json
    destination = reply.json["destination"]
    assert destination["radius_m"] == 300 and in_polygon(destination["polygon"], POINT)
    assert abs(_radius_m(destination["polygon"], POINT) - 300) < 2
    east_400 = [POINT[0] + 400 / (111_320 * math.cos(math.radians(POINT[1]))), POINT[1]]
    assert not in_polygon(destination["polygon"], east_400)


def test_a_bigger_site_asks_for_a_bigger_radius_and_a_drawn_yard_is_kept(client, mine):
    wide = _order(client, mine, dict(SITE, radius_m=1200)).json
    assert wide["destination"]["radius_m"] == 1200
    yard = circle(POINT, 500, corners=6)
    drawn = _order(client, mine, dict(SITE, polygon=yard)).json
    assert drawn["destination"]["polygon"] == yard and drawn["destination"]["radius_m"] is None


def test_bulk_loads_get_the_fence_too(client, mine):
    with client.application.app_context():
        shipper = shipper_with_allocation(mine, 200_000)
    loads = place_bulk(client, shipper, mine, 2).json["items"]
    assert all(in_polygon(load["destination"]["polygon"], POINT) for load in loads)


@pytest.mark.parametrize(
    "destination, field",
    [
        (dict(SITE, radius_m=10), "destination.radius_m"),
        (dict(SITE, radius_m=50_000), "destination.radius_m"),
        (dict(SITE, polygon={"type": "Polygon", "coordinates": [[[110.1, 39.1], [110.2, 39.1], [110.1, 39.1]]]}), None),
        (dict(SITE, polygon=circle([111.5, 39.2], 300)), "destination.polygon"),  # 100 km from the point
    ],
)
def test_a_fence_that_cannot_be_right_is_refused_naming_the_field(client, mine, destination, field):
    reply = _order(client, mine, destination)
    assert reply.status_code == 400
    fields = reply.json["error"]["details"]["fields"]
    assert (field in fields) if field else any(name.startswith("destination") for name in fields)


def test_the_buyer_redraws_the_fence_and_others_may_not(client, mine):
    buyer = make_user("buyer")
    load = place_retail(client, buyer, mine).json
    path = f"/api/orders/loads/{load['id']}/destination-fence"
    moved = client.put(path, json={"radius_m": 800}, headers=headers_for(buyer))
    assert moved.status_code == 200, moved.json
    assert moved.json["destination"]["radius_m"] == 800 and moved.json["state"] == load["state"]
    assert abs(_radius_m(moved.json["destination"]["polygon"], POINT) - 800) < 4
    assert moved.json["destination"]["address"] == SITE["address"]

    history = client.get(f"/api/waybills/{load['id']}/history", headers=headers_for(buyer)).json["items"]
    assert "set_destination_fence" in [e["action"] for e in history]

    assert client.put(path, json={"radius_m": 800}, headers=headers_for(make_user("buyer"))).status_code in (403, 404)
    assert client.put(path, json={"radius_m": 800}, headers=headers_for(make_user("driver"))).status_code == 403
    empty = client.put(path, json={}, headers=headers_for(buyer))
    assert empty.status_code == 400 and "radius_m" in empty.json["error"]["details"]["fields"]


def test_the_fence_rule_on_plain_values():
    fence = destination_fence(point=POINT, radius_m=250)
    assert fence["radius_m"] == 250 and in_polygon(fence["polygon"], POINT)
    ring = fence["polygon"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 33


def test_the_shipper_redraws_its_loads_fence_with_the_sites_polygon(client, mine):
    with client.application.app_context():
        shipper = shipper_with_allocation(mine, 100_000)
        stranger = shipper_with_allocation(mine, 100_000)
    (load,) = place_bulk(client, shipper, mine, 1).json["items"]
    yard = circle(POINT, 600, corners=8)
    path = f"/api/orders/loads/{load['id']}/destination-fence"
    assert client.put(path, json={"polygon": yard}, headers=headers_for(stranger)).status_code in (403, 404)
    moved = client.put(path, json={"polygon": yard}, headers=headers_for(shipper))
    assert moved.status_code == 200 and moved.json["destination"]["polygon"] == yard
    assert moved.json["destination"]["radius_m"] is None

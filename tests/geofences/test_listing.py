"""Who sees which fences: mines' fences for every signed-in role, customers' delivery sites for dispatch only."""

import pytest

from tests.builders import headers_for, make_user


@pytest.mark.parametrize("role", ["driver", "buyer", "shipper", "carrier", "gate"])
def test_delivery_sites_are_not_listed_to_parties(client, role):
    reply = client.get("/api/geofences?kind=destination", headers=headers_for(make_user(role)))
    assert reply.status_code == 403 and reply.json["error"]["code"] == "forbidden_kind"
    assert client.get("/api/geofences?kind=gate", headers=headers_for(make_user(role))).status_code == 200


@pytest.mark.parametrize("role", ["dispatcher", "admin"])
def test_the_dispatch_centre_lists_delivery_sites(client, role):
    assert client.get("/api/geofences?kind=destination", headers=headers_for(make_user(role))).status_code == 200

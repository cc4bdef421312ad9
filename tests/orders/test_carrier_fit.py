"""Loads go only to a carrier with a truck that can take them; the bulk form's default fits its trucks; a decline
reaches the shipper."""

from types import SimpleNamespace

from backend.orders.fit import truckload_fit
from tests.builders import headers_for, make_org, make_user, make_vehicle
from tests.orders.helpers import make_mine, place_bulk, shipper_with_allocation


def truck(kg, status="active"):
    return SimpleNamespace(rated_load_kg=kg, status=status)


def fit_of(*loads, **kw):
    return truckload_fit([truck(kg) for kg in loads] + kw.get("extra", []), min_kg=10_000, max_kg=49_000)


def test_the_default_is_what_most_of_the_fleet_takes_in_half_tonnes():
    # The demo carrier 顺达: 33.8 t, 33.4 t, 28.9 t and a 1.2 t van that takes no truckload.
    found = fit_of(33_800, 33_400, 28_900, 1_200)
    assert (found["trucks"], found["largest_kg"], found["suggested_kg"]) == (3, 33_800, 33_000)


def test_one_truck_gives_its_own_load_and_a_blocked_truck_counts_for_nothing():
    assert fit_of(31_250)["suggested_kg"] == 31_000
    blocked = fit_of(extra=[truck(34_000, status="blocked")])
    assert (blocked["trucks"], blocked["suggested_kg"], blocked["largest_kg"]) == (0, None, None)


def test_a_huge_truck_is_offered_no_more_than_one_legal_truckload():
    assert fit_of(60_000)["suggested_kg"] == 49_000


def test_the_shipper_reads_the_carriers_fit(client):
    carrier = make_org("carrier")
    for kg in (33_800, 33_400, 28_900):
        make_vehicle(carrier.org_id, rated_load_kg=kg)
    shipper = make_user("shipper", org_id=make_org("shipper").org_id)
    reply = client.get(f"/api/orders/carriers/{carrier.org_id}/fit", headers=headers_for(shipper))
    assert reply.status_code == 200
    assert (reply.json["suggested_kg"], reply.json["largest_kg"], reply.json["trucks"]) == (33_000, 33_800, 3)
    unknown = client.get("/api/orders/carriers/org_nobody/fit", headers=headers_for(shipper))
    assert unknown.status_code == 404


def test_a_bulk_order_no_truck_of_the_carrier_takes_is_refused_before_anything_is_drawn(client):
    mine, carrier = make_mine(), make_org("carrier")
    make_vehicle(carrier.org_id, rated_load_kg=33_800)
    shipper = shipper_with_allocation(mine, 1_000_000)
    refused = place_bulk(client, shipper, mine, 2, 34_000, carrier_id=carrier.org_id)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "no_truck_fits"
    assert refused.json["error"]["details"]["suggested_kg"] == 33_500
    assert "tonnage_kg" in refused.json["error"]["details"]["fields"]
    allocations = client.get("/api/orders/allocations", headers=headers_for(shipper)).json["items"]
    assert allocations[0]["remaining_kg"] == 1_000_000
    assert place_bulk(client, shipper, mine, 2, 33_500, carrier_id=carrier.org_id).status_code == 201


def test_a_carrier_without_trucks_cannot_be_entrusted_a_load(client):
    mine, empty = make_mine(), make_org("carrier")
    shipper = shipper_with_allocation(mine, 1_000_000)
    load = place_bulk(client, shipper, mine, 1, 30_000, freight_fen_per_t=4000).json["items"][0]
    reply = client.post(
        f"/api/orders/loads/{load['id']}/entrust", json={"carrier_id": empty.org_id}, headers=headers_for(shipper)
    )
    assert reply.status_code == 409 and reply.json["error"]["code"] == "no_truck_fits"


def test_the_shipper_is_told_when_the_carrier_declines(client):
    mine, carrier = make_mine(), make_org("carrier")
    make_vehicle(carrier.org_id)
    shipper = shipper_with_allocation(mine, 1_000_000)
    load = place_bulk(client, shipper, mine, 1, 30_000, carrier_id=carrier.org_id).json["items"][0]
    boss = make_user("carrier", org_id=carrier.org_id)
    declined = client.post(
        f"/api/dispatch/loads/{load['id']}/decline", json={"reason": "车辆不足"}, headers=headers_for(boss)
    )
    assert declined.status_code == 200
    inbox = client.get("/api/inbox", headers=headers_for(shipper)).json["items"]
    assert [(m["kind"], m["params"]["reason"]) for m in inbox] == [("declined", "车辆不足")]
    mine_list = client.get("/api/waybills", headers=headers_for(shipper)).json["items"]
    assert [(w["id"], w["entrust_status"]) for w in mine_list] == [(load["id"], "declined")]


def test_a_carrier_reads_the_names_of_the_companies_on_its_loads(client):
    shipper, carrier = make_org("shipper"), make_org("carrier")
    boss = make_user("carrier", org_id=carrier.org_id)
    reply = client.get(
        f"/api/orders/companies?ids={shipper.org_id},{carrier.org_id},org_nobody", headers=headers_for(boss)
    )
    assert reply.status_code == 200
    assert reply.json["items"] == [
        {"id": shipper.org_id, "name": shipper.name},
        {"id": carrier.org_id, "name": carrier.name},
    ]
    too_many = ",".join(f"org_{i}" for i in range(51))
    refused = client.get(f"/api/orders/companies?ids={too_many}", headers=headers_for(boss))
    assert refused.status_code == 400 and "ids" in refused.json["error"]["details"]["fields"]

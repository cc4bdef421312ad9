"""Carrier dispatch over HTTP: entrusted loads, accept/decline, assign and reassign its own crew only."""

from tests.builders import headers_for, make_org, make_user, make_vehicle
from tests.orders.helpers import driver_with_truck, make_mine, place_bulk, shipper_with_allocation


def entrusted_load(client, carrier_id):
    make_vehicle(carrier_id)  # a load is entrusted only to a carrier with a truck that can take it
    mine = make_mine()
    shipper = shipper_with_allocation(mine, 1_000_000)
    return shipper, place_bulk(client, shipper, mine, 1, carrier_id=carrier_id).json["items"][0]


def carrier_of(org_id):
    return make_user("carrier", org_id=org_id)


def post(client, user, path, body=None):
    return client.post(path, json=body or {}, headers=headers_for(user))


def test_carrier_sees_its_entrusted_loads_and_accepts(client):
    org = make_org("carrier")
    _, load = entrusted_load(client, org.org_id)
    boss = carrier_of(org.org_id)
    pending = client.get("/api/dispatch/loads?status=pending", headers=headers_for(boss)).json["items"]
    assert [w["id"] for w in pending] == [load["id"]]
    reply = post(client, boss, f"/api/dispatch/loads/{load['id']}/accept")
    assert reply.status_code == 200 and reply.json["entrust_status"] == "accepted"


def test_decline_returns_the_load_to_the_shipper(client):
    org = make_org("carrier")
    shipper, load = entrusted_load(client, org.org_id)
    boss = carrier_of(org.org_id)
    reply = post(client, boss, f"/api/dispatch/loads/{load['id']}/decline", {"reason": "车辆不足"})
    assert reply.status_code == 200 and reply.json["entrust_status"] == "declined" and reply.json["carrier_id"] is None
    assert client.get("/api/dispatch/loads", headers=headers_for(boss)).json["items"] == []
    republished = post(client, shipper, f"/api/orders/loads/{load['id']}/publish", {"freight_fen_per_t": 4000})
    assert republished.status_code == 200 and republished.json["in_hall"]


def test_carrier_assigns_its_own_driver_and_truck_then_reassigns(client):
    org = make_org("carrier")
    _, load = entrusted_load(client, org.org_id)
    boss = carrier_of(org.org_id)
    (d1, t1), (d2, t2) = driver_with_truck(org.org_id), driver_with_truck(org.org_id)
    body = {"driver_id": d1.user_id, "vehicle_id": t1.vehicle_id}
    reply = post(client, boss, f"/api/dispatch/loads/{load['id']}/assign", body)
    assert reply.status_code == 200 and (reply.json["state"], reply.json["driver_id"]) == ("assigned", d1.user_id)
    again = post(
        client,
        boss,
        f"/api/dispatch/loads/{load['id']}/reassign",
        {"driver_id": d2.user_id, "vehicle_id": t2.vehicle_id},
    )
    assert again.status_code == 200 and (again.json["driver_id"], again.json["plate"]) == (d2.user_id, t2.plate)
    # the first driver is free again, the second is now busy
    other = entrusted_load(client, org.org_id)[1]
    busy = post(
        client,
        boss,
        f"/api/dispatch/loads/{other['id']}/assign",
        {"driver_id": d2.user_id, "vehicle_id": t2.vehicle_id},
    )
    assert busy.status_code == 409 and busy.json["error"]["code"] == "driver_busy"
    free = post(
        client,
        boss,
        f"/api/dispatch/loads/{other['id']}/assign",
        {"driver_id": d1.user_id, "vehicle_id": t1.vehicle_id},
    )
    assert free.status_code == 200


def test_carrier_b_can_neither_see_nor_assign_carrier_as_load(client):
    org_a, org_b = make_org("carrier"), make_org("carrier")
    _, load = entrusted_load(client, org_a.org_id)
    boss_b = carrier_of(org_b.org_id)
    driver_b, truck_b = driver_with_truck(org_b.org_id)
    assert client.get("/api/dispatch/loads", headers=headers_for(boss_b)).json["items"] == []
    assert client.get(f"/api/waybills/{load['id']}", headers=headers_for(boss_b)).status_code == 404
    for action in ("accept", "decline"):
        assert post(client, boss_b, f"/api/dispatch/loads/{load['id']}/{action}").status_code == 404
    body = {"driver_id": driver_b.user_id, "vehicle_id": truck_b.vehicle_id}
    assert post(client, boss_b, f"/api/dispatch/loads/{load['id']}/assign", body).status_code == 404


def test_carrier_cannot_dispatch_another_carriers_driver_or_truck(client):
    org = make_org("carrier")
    _, load = entrusted_load(client, org.org_id)
    boss = carrier_of(org.org_id)
    own_driver, own_truck = driver_with_truck(org.org_id)
    foreign_driver, foreign_truck = driver_with_truck()
    wrong_driver = post(
        client,
        boss,
        f"/api/dispatch/loads/{load['id']}/assign",
        {"driver_id": foreign_driver.user_id, "vehicle_id": own_truck.vehicle_id},
    )
    assert wrong_driver.status_code == 404 and "driver_id" in wrong_driver.json["error"]["details"]["fields"]
    wrong_truck = post(
        client,
        boss,
        f"/api/dispatch/loads/{load['id']}/assign",
        {"driver_id": own_driver.user_id, "vehicle_id": foreign_truck.vehicle_id},
    )
    assert wrong_truck.status_code == 404 and "vehicle_id" in wrong_truck.json["error"]["details"]["fields"]


def test_reassign_is_refused_once_the_load_is_not_assigned(client):
    org = make_org("carrier")
    _, load = entrusted_load(client, org.org_id)
    driver, truck = driver_with_truck(org.org_id)
    reply = post(
        client,
        carrier_of(org.org_id),
        f"/api/dispatch/loads/{load['id']}/reassign",
        {"driver_id": driver.user_id, "vehicle_id": truck.vehicle_id},
    )
    assert reply.status_code == 409 and reply.json["error"]["details"]["state"] == "open"


def test_shipper_and_driver_see_only_their_own_waybills(client):
    org = make_org("carrier")
    shipper, load = entrusted_load(client, org.org_id)
    other_shipper = make_user("shipper", org_id=make_org("shipper").org_id)
    driver, truck = driver_with_truck(org.org_id)
    stranger_driver, _ = driver_with_truck(org.org_id)
    post(
        client,
        carrier_of(org.org_id),
        f"/api/dispatch/loads/{load['id']}/assign",
        {"driver_id": driver.user_id, "vehicle_id": truck.vehicle_id},
    )
    assert client.get(f"/api/waybills/{load['id']}", headers=headers_for(shipper)).status_code == 200
    assert client.get(f"/api/waybills/{load['id']}", headers=headers_for(driver)).status_code == 200
    assert client.get(f"/api/waybills/{load['id']}", headers=headers_for(other_shipper)).status_code == 404
    assert client.get(f"/api/waybills/{load['id']}", headers=headers_for(stranger_driver)).status_code == 404
    give_back = client.post(f"/api/hall/{load['id']}/give-back", json={}, headers=headers_for(stranger_driver))
    assert give_back.status_code == 404

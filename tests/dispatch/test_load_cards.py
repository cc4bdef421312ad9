"""What a driver sees before and after the tap: hall cards, the truck picker, and whom to call about a load."""

from tests.builders import headers_for, make_org, make_user, make_vehicle
from tests.callcount import count_calls
from tests.orders.helpers import driver_with_truck, grab, make_mine, place_bulk, place_retail, shipper_with_allocation


def _hall_card(client, driver, mine, load_id):
    items = client.get("/api/hall", query_string={"mine_id": mine}, headers=headers_for(driver)).json["items"]
    return next(i for i in items if i["id"] == load_id)


def test_a_hall_card_shows_the_buyers_road_distance_the_freight_per_truck_and_who_sells(client):
    mine = make_mine()
    buyer = make_user("buyer")
    load = place_retail(client, buyer, mine).json
    driver, _ = driver_with_truck()
    card = _hall_card(client, driver, mine, load["id"])
    assert card["road_distance_m"] == load["quote"]["road_distance_m"]  # the same trip, the same distance
    assert card["road_distance_m"] > card["haul_distance_m"]  # by road, not the straight line
    assert card["freight_fen_per_truck"] == round(load["freight_fen_per_t"] * load["tonnage_kg"] / 1000)
    assert card["shipper_name"] and card["shipper_phone"] is None  # a private buyer's phone is not for every driver
    assert len(card["mine_point"]) == 2 and len(card["destination_point"]) == 2


def test_the_truck_picker_marks_a_truck_on_the_road_as_busy(client):
    mine = make_mine()
    driver, truck = driver_with_truck()
    spare = make_vehicle(driver.org_id)
    load = place_retail(client, make_user("buyer"), mine).json
    assert grab(client, driver, truck, load["id"]).status_code == 200
    colleague = make_user("driver", org_id=driver.org_id)
    mine_view = client.get("/api/hall/vehicles", headers=headers_for(driver)).json["items"]
    theirs = client.get("/api/hall/vehicles", headers=headers_for(colleague)).json["items"]
    by_id = {v["id"]: v for v in mine_view}
    assert by_id[truck.vehicle_id]["busy"] and by_id[truck.vehicle_id]["busy_waybill_id"] == load["id"]
    assert not by_id[spare.vehicle_id]["busy"]
    # A colleague learns the truck is busy, not which load it carries.
    assert {v["id"]: v["busy_waybill_id"] for v in theirs}[truck.vehicle_id] is None


def test_the_truck_is_free_in_the_picker_once_its_load_is_given_back(client):
    mine = make_mine()
    driver, truck = driver_with_truck()
    load = place_retail(client, make_user("buyer"), mine).json
    assert grab(client, driver, truck, load["id"]).status_code == 200
    assert client.post(f"/api/hall/{load['id']}/give-back", json={}, headers=headers_for(driver)).status_code == 200
    items = client.get("/api/hall/vehicles", headers=headers_for(driver)).json["items"]
    assert {v["id"]: v["busy"] for v in items}[truck.vehicle_id] is False


def test_the_driver_on_a_load_gets_the_phones_and_nobody_else_does(client):
    mine = make_mine()
    buyer = make_user("buyer")
    load = place_retail(client, buyer, mine).json
    driver, truck = driver_with_truck()
    office = make_user("carrier", org_id=driver.org_id)
    assert grab(client, driver, truck, load["id"]).status_code == 200
    with count_calls() as calls:
        reply = client.get(f"/api/hall/{load['id']}/contacts", headers=headers_for(driver))
    assert reply.status_code == 200
    # The load, its people and companies in one batch, the mine, and the carrier office's phone (one index page).
    assert calls == ["GetItem", "BatchGetItem", "GetItem", "Query"]
    assert reply.json["buyer"]["phone"] == buyer.phone and reply.json["carrier"]["phone"] == office.phone
    assert reply.json["gate"]["name"] and len(reply.json["destination_point"]) == 2
    colleague = make_user("driver", org_id=driver.org_id)
    for outsider in (colleague, make_user("driver", org_id=driver.org_id)):
        refused = client.get(f"/api/hall/{load['id']}/contacts", headers=headers_for(outsider))
        assert refused.status_code == 404 and refused.json["error"]["code"] == "waybill_not_found"
    assert client.get(f"/api/hall/{load['id']}/contacts", headers=headers_for(buyer)).status_code == 403


def test_a_carrier_cannot_send_a_truck_that_is_on_the_road_with_another_driver(client):
    from tests.callcount import count_calls
    from tests.dispatch.test_carrier_api import entrusted_load

    carrier_org = make_org("carrier").org_id
    boss = make_user("carrier", org_id=carrier_org)
    first_driver, second_driver = make_user("driver", org_id=carrier_org), make_user("driver", org_id=carrier_org)
    truck = make_vehicle(carrier_org)
    _, first = entrusted_load(client, carrier_org)
    _, second = entrusted_load(client, carrier_org)
    body = {"driver_id": first_driver.user_id, "vehicle_id": truck.vehicle_id}
    assert (
        client.post(f"/api/dispatch/loads/{first['id']}/assign", json=body, headers=headers_for(boss)).status_code
        == 200
    )
    body = {"driver_id": second_driver.user_id, "vehicle_id": truck.vehicle_id}
    with count_calls() as calls:
        reply = client.post(f"/api/dispatch/loads/{second['id']}/assign", json=body, headers=headers_for(boss))
    assert reply.status_code == 409 and reply.json["error"]["code"] == "vehicle_busy"
    assert "TransactWriteItems" not in calls  # refused from the batch read, before any write


def test_the_gate_phone_a_site_keeper_gives_reaches_the_driver_on_a_load_there(client):
    from tests.catalogue.sites import onboard, site_body

    body = site_body()
    assert onboard(client, body).status_code == 201
    admin = make_user("admin")
    bad = client.patch(f"/api/sites/{body['id']}", json={"gate_phone": "call me"}, headers=headers_for(admin))
    assert bad.status_code == 400 and "gate_phone" in bad.json["error"]["details"]["fields"]
    ok = client.patch(f"/api/sites/{body['id']}", json={"gate_phone": "0912-8461001"}, headers=headers_for(admin))
    assert ok.status_code == 200, ok.json
    load = place_retail(client, make_user("buyer"), body["id"]).json
    driver, truck = driver_with_truck()
    assert grab(client, driver, truck, load["id"]).status_code == 200
    gate = client.get(f"/api/hall/{load['id']}/contacts", headers=headers_for(driver)).json["gate"]
    assert gate == {"name": body["name"], "phone": "0912-8461001"}


def test_a_company_s_load_shows_the_phone_of_its_staff_member_who_ordered(client):
    mine = make_mine()
    shipper = shipper_with_allocation(mine, 100_000)
    (load,) = place_bulk(client, shipper, mine, 1, freight_fen_per_t=3000).json["items"]
    driver, _ = driver_with_truck()
    card = _hall_card(client, driver, mine, load["id"])
    assert card["shipper_phone"] == shipper.phone and card["shipper_name"]

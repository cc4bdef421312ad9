"""The order hall over HTTP: nearest first, filters, and who may grab with what."""

from backend.accounts import store as accounts_store
from backend.common.clock import now_ms
from tests.builders import headers_for, make_user
from tests.orders.helpers import driver_with_truck, grab, make_mine, place_retail


def hall(client, user, **query):
    return client.get("/api/hall", query_string=query, headers=headers_for(user)).json["items"]


def test_hall_lists_open_loads_nearest_mine_first(client):
    near, far = make_mine(gate=(110.00, 38.90)), make_mine(gate=(110.60, 38.90))
    far_load = place_retail(client, make_user("buyer"), far).json
    near_load = place_retail(client, make_user("buyer"), near).json
    driver, _ = driver_with_truck()
    items = [i for i in hall(client, driver, lon=110.01, lat=38.90, limit=100) if i["mine_id"] in (near, far)]
    assert [i["id"] for i in items] == [near_load["id"], far_load["id"]]
    assert items[0]["distance_to_mine_m"] < items[1]["distance_to_mine_m"]
    assert items[0]["haul_distance_m"] > 0 and items[0]["freight_fen_per_t"] == near_load["freight_fen_per_t"]


def test_hall_filters_by_mine_and_freight_rate(client):
    mine = make_mine()
    load = place_retail(client, make_user("buyer"), mine).json
    driver, _ = driver_with_truck()
    assert [i["id"] for i in hall(client, driver, mine_id=mine)] == [load["id"]]
    assert hall(client, driver, mine_id=mine, min_freight_fen_per_t=load["freight_fen_per_t"] + 1) == []
    assert hall(client, driver, mine_id=mine, product_id="lump") == []


def test_grab_assigns_the_driver_and_takes_the_load_out_of_the_hall(client):
    mine = make_mine()
    load = place_retail(client, make_user("buyer"), mine).json
    driver, truck = driver_with_truck()
    reply = grab(client, driver, truck, load["id"])
    assert reply.status_code == 200
    assert (reply.json["state"], reply.json["driver_id"], reply.json["plate"]) == (
        "assigned",
        driver.user_id,
        truck.plate,
    )
    assert reply.json["carrier_id"] == driver.org_id and not reply.json["in_hall"]
    assert hall(client, driver, mine_id=mine) == []
    mine_now = client.get("/api/waybills", headers=headers_for(driver)).json["items"]
    assert [w["id"] for w in mine_now] == [load["id"]]


def test_second_grab_is_a_clean_409_that_does_not_reveal_the_loads_state(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    first, second = driver_with_truck(), driver_with_truck()
    assert grab(client, *first, load["id"]).status_code == 200
    reply = grab(client, *second, load["id"])
    assert reply.status_code == 409 and reply.json["error"]["code"] == "load_not_in_hall"
    assert "state" not in reply.json["error"]["details"]  # the winner's carrier's load is not the loser's business


def test_a_driver_with_an_active_waybill_cannot_grab_another(client):
    mine = make_mine()
    one, two = (place_retail(client, make_user("buyer"), mine).json for _ in range(2))
    driver, truck = driver_with_truck()
    assert grab(client, driver, truck, one["id"]).status_code == 200
    reply = grab(client, driver, truck, two["id"])
    assert reply.status_code == 409 and reply.json["error"]["code"] == "driver_busy"


def test_giving_a_load_back_frees_the_driver_and_returns_it_to_the_hall(client):
    mine = make_mine()
    one, two = (place_retail(client, make_user("buyer"), mine).json for _ in range(2))
    driver, truck = driver_with_truck()
    grab(client, driver, truck, one["id"])
    back = client.post(f"/api/hall/{one['id']}/give-back", json={}, headers=headers_for(driver))
    assert back.status_code == 200 and back.json["state"] == "open" and back.json["in_hall"]
    assert back.json["driver_id"] is None and back.json["carrier_id"] is None
    assert grab(client, driver, truck, two["id"]).status_code == 200


def test_a_truck_too_small_for_the_load_cannot_grab_it(client):
    load = place_retail(client, make_user("buyer"), make_mine(), 40_000).json
    driver, truck = driver_with_truck(rated_load_kg=33_000)
    reply = grab(client, driver, truck, load["id"])
    assert reply.status_code == 422 and "vehicle_id" in reply.json["error"]["details"]["fields"]


def test_a_blocked_truck_cannot_grab(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    driver, truck = driver_with_truck()
    accounts_store.set_vehicle_status(truck.vehicle_id, status="blocked", reason="套牌嫌疑", now_ms=now_ms())
    reply = grab(client, driver, truck, load["id"])
    assert reply.status_code == 409 and reply.json["error"]["code"] == "vehicle_blocked"


def test_a_driver_cannot_grab_with_another_carriers_truck(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    driver, _ = driver_with_truck()
    _, other_truck = driver_with_truck()
    reply = grab(client, driver, other_truck, load["id"])
    assert reply.status_code == 404 and reply.json["error"]["code"] == "vehicle_not_found"
    assert client.get(f"/api/waybills/{load['id']}", headers=headers_for(driver)).status_code == 404


def test_cancelling_an_assigned_order_frees_the_driver(client):
    mine = make_mine(inventory_kg=100_000)
    buyer = make_user("buyer")
    one, two = (place_retail(client, buyer, mine).json for _ in range(2))
    driver, truck = driver_with_truck()
    grab(client, driver, truck, one["id"])
    assert client.post(f"/api/orders/{one['id']}/cancel", json={}, headers=headers_for(buyer)).status_code == 200
    assert grab(client, driver, truck, two["id"]).status_code == 200


def test_the_hall_costs_the_same_calls_with_one_mine_or_four(client):
    from tests.callcount import count_calls

    driver, _ = driver_with_truck()
    place_retail(client, make_user("buyer"), make_mine())
    with count_calls() as one:
        hall(client, driver, lon=110.3, lat=38.9)
    for _ in range(3):
        place_retail(client, make_user("buyer"), make_mine())
    with count_calls() as four:
        items = hall(client, driver, lon=110.3, lat=38.9, limit=100)
    assert len({i["mine_id"] for i in items}) >= 4
    # One page of the hall (which carries who ordered each load); the mines (new ones here, so the process's copy
    # of the directory is read again); then one batch: the driver's and the payers' standings, the loads' people
    # and companies.
    assert one == four == ["Query", "Query", "BatchGetItem"]
    with count_calls() as again:
        assert hall(client, driver, lon=110.3, lat=38.9, limit=100) == items
    assert again == ["Query", "BatchGetItem"]  # the same mines: from the copy


def test_the_hall_shows_a_mine_edited_here_at_once_and_elsewhere_within_the_bound(app, client):
    from backend.catalogue import store as catalogue_store

    driver, _ = driver_with_truck()
    mine_id = make_mine()
    place_retail(client, make_user("buyer"), mine_id)

    def shown_name():
        return next(i["mine_name"] for i in hall(client, driver, limit=100) if i["mine_id"] == mine_id)

    first = shown_name()
    site = catalogue_store.get_mine(mine_id)
    site.name = first + "（新）"
    site.save()  # another container's edit: this process keeps its copy within MINE_DIRECTORY_SECONDS
    assert shown_name() == first
    app.config["MINE_DIRECTORY_SECONDS"] = 0
    try:
        assert shown_name() == first + "（新）"
    finally:
        app.config["MINE_DIRECTORY_SECONDS"] = 60

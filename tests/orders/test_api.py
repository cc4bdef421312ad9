"""Retail orders, quotes, bulk orders, entrusting, publishing and cancelling over HTTP."""

import pytest

from tests.builders import headers_for, make_org, make_user, make_vehicle
from tests.orders.helpers import make_mine, place_bulk, place_retail, product, retail_body, shipper_with_allocation


def test_quote_is_coal_plus_distance_freight_in_fen(client):
    buyer, mine = make_user("buyer"), make_mine(price=60000)
    reply = client.post("/api/orders/quote", json=retail_body(mine, 30_000), headers=headers_for(buyer))
    assert reply.status_code == 200
    quote = reply.json
    assert quote["coal_fen"] == 60000 * 30
    # ~38 km great-circle × 1.3 road factor × 50 fen per t·km ≈ 2,450 fen per tonne
    assert 40_000 < quote["road_distance_m"] < 60_000
    assert quote["freight_fen_per_t"] == round(quote["road_distance_m"] * 50 / 1000)
    assert (
        quote["total_fen"]
        == quote["coal_fen"] + quote["freight_fen"]
        == quote["coal_fen"] + quote["freight_fen_per_t"] * 30
    )


@pytest.mark.parametrize("tonnage", [9_999, 49_001])
def test_tonnage_outside_one_truckload_is_refused_naming_the_field(client, tonnage):
    reply = place_retail(client, make_user("buyer"), make_mine(), tonnage)
    assert reply.status_code == 400
    assert "tonnage_kg" in reply.json["error"]["details"]["fields"]


def test_retail_order_reserves_stock_and_goes_to_the_hall(client):
    buyer, mine = make_user("buyer"), make_mine(inventory_kg=100_000)
    reply = place_retail(client, buyer, mine, 30_000)
    assert reply.status_code == 201
    waybill = reply.json
    assert waybill["state"] == "open" and waybill["in_hall"] and waybill["buyer_id"] == buyer.user_id
    stock = product(mine)
    assert (stock.reserved_kg, stock.available_kg) == (30_000, 70_000)
    mine_orders = client.get("/api/waybills", headers=headers_for(buyer)).json["items"]
    assert [w["id"] for w in mine_orders] == [waybill["id"]]


def test_order_beyond_available_stock_is_409_out_of_stock(client):
    mine = make_mine(inventory_kg=40_000)
    assert place_retail(client, make_user("buyer"), mine, 30_000).status_code == 201
    reply = place_retail(client, make_user("buyer"), mine, 30_000)
    assert reply.status_code == 409 and reply.json["error"]["code"] == "out_of_stock"
    assert product(mine).available_kg == 10_000


def test_cancel_before_dispatch_gives_the_stock_back(client):
    buyer, mine = make_user("buyer"), make_mine(inventory_kg=100_000)
    waybill = place_retail(client, buyer, mine, 30_000).json
    reply = client.post(f"/api/orders/{waybill['id']}/cancel", json={}, headers=headers_for(buyer))
    assert reply.status_code == 200 and reply.json["state"] == "cancelled" and not reply.json["in_hall"]
    stock = product(mine)
    assert (stock.reserved_kg, stock.available_kg) == (0, 100_000)
    again = client.post(f"/api/orders/{waybill['id']}/cancel", json={}, headers=headers_for(buyer))
    assert again.status_code == 409 and again.json["error"]["details"]["state"] == "cancelled"


def test_shipper_orders_for_a_buyer_named_by_phone_and_the_buyer_sees_it(client):
    mine, buyer = make_mine(), make_user("buyer")
    shipper = make_user("shipper", org_id=make_org("shipper").org_id)
    reply = place_retail(client, shipper, mine, 30_000, buyer_phone=buyer.phone)
    assert reply.status_code == 201 and reply.json["shipper_id"] == shipper.org_id
    assert [w["id"] for w in client.get("/api/waybills", headers=headers_for(buyer)).json["items"]] == [
        reply.json["id"]
    ]
    unknown = place_retail(client, shipper, mine, 30_000, buyer_phone="13000000000")
    assert unknown.status_code == 404 and "buyer_phone" in unknown.json["error"]["details"]["fields"]


def test_bulk_order_makes_n_loads_and_draws_the_allocation(client):
    mine = make_mine()
    shipper = shipper_with_allocation(mine, 100_000)
    reply = place_bulk(client, shipper, mine, 2, 34_000, freight_fen_per_t=4000)
    assert reply.status_code == 201
    assert len(reply.json["items"]) == 2 and all(w["in_hall"] for w in reply.json["items"])
    allocations = client.get("/api/orders/allocations", headers=headers_for(shipper)).json["items"]
    assert allocations[0]["remaining_kg"] == 100_000 - 68_000
    short = place_bulk(client, shipper, mine, 1, 34_000)
    assert short.status_code == 409 and short.json["error"]["code"] == "allocation_exhausted"


def test_bulk_order_over_the_transaction_cap_is_refused(client):
    mine = make_mine()
    reply = place_bulk(client, shipper_with_allocation(mine, 10_000_000), mine, 100)
    assert reply.status_code == 400 and "trucks" in reply.json["error"]["details"]["fields"]


def test_cancelling_a_bulk_load_returns_its_volume_to_the_allocation(client):
    mine = make_mine()
    shipper = shipper_with_allocation(mine, 100_000)
    load = place_bulk(client, shipper, mine, 1, 34_000).json["items"][0]
    assert client.post(f"/api/orders/{load['id']}/cancel", json={}, headers=headers_for(shipper)).status_code == 200
    assert (
        client.get("/api/orders/allocations", headers=headers_for(shipper)).json["items"][0]["remaining_kg"] == 100_000
    )


def test_entrust_then_publish_moves_the_load_between_carrier_and_hall(client):
    mine, carrier = make_mine(), make_org("carrier")
    make_vehicle(carrier.org_id)
    shipper = shipper_with_allocation(mine, 100_000)
    load = place_bulk(client, shipper, mine, 1, 34_000).json["items"][0]
    entrusted = client.post(
        f"/api/orders/loads/{load['id']}/entrust", json={"carrier_id": carrier.org_id}, headers=headers_for(shipper)
    )
    assert entrusted.json["carrier_id"] == carrier.org_id and entrusted.json["entrust_status"] == "pending"
    published = client.post(
        f"/api/orders/loads/{load['id']}/publish", json={"freight_fen_per_t": 4500}, headers=headers_for(shipper)
    )
    assert published.json["in_hall"] and published.json["carrier_id"] is None
    history = client.get(f"/api/waybills/{load['id']}/history", headers=headers_for(shipper)).json["items"]
    assert [e["action"] for e in history] == ["entrust", "publish"]


def test_another_shipper_cannot_touch_my_load(client):
    mine = make_mine()
    load = place_bulk(client, shipper_with_allocation(mine, 100_000), mine, 1).json["items"][0]
    stranger = make_user("shipper", org_id=make_org("shipper").org_id)
    for path, body in [
        ("publish", {"freight_fen_per_t": 4000}),
        ("entrust", {"carrier_id": make_org("carrier").org_id}),
    ]:
        reply = client.post(f"/api/orders/loads/{load['id']}/{path}", json=body, headers=headers_for(stranger))
        assert reply.status_code == 404
    assert client.post(f"/api/orders/{load['id']}/cancel", json={}, headers=headers_for(stranger)).status_code == 404
    assert client.get("/api/orders/allocations", headers=headers_for(stranger)).json["items"] == []


def test_destination_must_be_a_geojson_point(client):
    body = retail_body(make_mine())
    body["destination"] = {"address": "某砖厂", "point": {"type": "Point", "coordinates": [110.3]}}
    reply = client.post("/api/orders/retail", json=body, headers=headers_for(make_user("buyer")))
    assert reply.status_code == 400 and "destination" in reply.json["error"]["details"]["fields"]

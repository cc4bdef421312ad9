"""Browsing the catalogue, and mine staff keeping price, plan and inventory."""

from tests.builders import headers_for, make_user
from tests.orders.helpers import make_mine, place_retail, product


def patch(client, user, mine, body):
    return client.patch(f"/api/catalogue/mines/{mine}/products/raw", json=body, headers=headers_for(user))


def test_everyone_signed_in_browses_mines_with_prices_and_stock(client):
    reply = client.get("/api/catalogue/mines", headers=headers_for(make_user("buyer")))
    mines = {m["id"]: m for m in reply.json["items"]}
    assert {"mine_hll", "mine_ntt", "mine_xbd"} <= set(mines)
    lump = next(p for p in mines["mine_hll"]["products"] if p["id"] == "lump")
    assert lump["name"] == "块煤" and lump["price_fen_per_t"] == 86000 and lump["available_kg"] > 0


def test_mine_staff_set_price_plan_and_inventory(client):
    mine = make_mine(inventory_kg=100_000)
    gate = make_user("gate", mine_id=mine)
    reply = patch(client, gate, mine, {"price_fen_per_t": 65000, "plan_kg": 2_000_000, "inventory_kg": 150_000})
    assert reply.status_code == 200
    assert (reply.json["price_fen_per_t"], reply.json["plan_kg"], reply.json["available_kg"]) == (
        65000,
        2_000_000,
        150_000,
    )


def test_other_mines_staff_and_buyers_cannot_edit(client):
    mine = make_mine()
    assert patch(client, make_user("gate", mine_id="mine_hll"), mine, {"price_fen_per_t": 1}).status_code == 403
    assert patch(client, make_user("buyer"), mine, {"price_fen_per_t": 1}).status_code == 403
    assert patch(client, make_user("admin"), mine, {"price_fen_per_t": 61000}).status_code == 200


def test_inventory_cannot_drop_below_what_orders_reserved(client):
    mine = make_mine(inventory_kg=100_000)
    place_retail(client, make_user("buyer"), mine, 30_000)
    gate = make_user("gate", mine_id=mine)
    refused = patch(client, gate, mine, {"inventory_kg": 20_000})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "inventory_below_reserved"
    assert patch(client, gate, mine, {"inventory_kg": 40_000}).json["available_kg"] == 10_000
    assert product(mine).reserved_kg == 30_000


def test_an_empty_patch_names_a_field(client):
    mine = make_mine()
    reply = patch(client, make_user("gate", mine_id=mine), mine, {})
    assert reply.status_code == 400 and reply.json["error"]["details"]["fields"]

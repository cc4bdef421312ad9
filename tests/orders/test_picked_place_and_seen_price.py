"""A retail order keeps the county of a place picked from the gazetteer, and is placed only at the price seen."""

from backend.catalogue.models import Product
from tests.builders import headers_for, make_user
from tests.orders.helpers import SITE, make_mine, place_retail, product, retail_body


def _order(client, buyer, mine, destination, **extra):
    body = dict(retail_body(mine), destination=destination, **extra)
    return client.post("/api/orders/retail", json=body, headers=headers_for(buyer))


def _quote(client, buyer, mine):
    return client.post("/api/orders/quote", json=retail_body(mine), headers=headers_for(buyer)).json


def test_an_order_at_the_quoted_price_is_placed_and_keeps_the_picked_places_county(client):
    buyer, mine = make_user("buyer"), make_mine()
    town = client.get("/api/places/search?q=大柳塔镇", headers=headers_for(buyer)).json["items"][0]
    quote = _quote(client, buyer, mine)
    destination = dict(SITE, place_code=town["code"])
    reply = _order(client, buyer, mine, destination, quote_total_fen=quote["total_fen"])
    assert reply.status_code == 201, reply.json
    kept = reply.json["destination"]
    assert (kept["county_code"], kept["county_name"], kept["place_code"]) == ("610881", "神木市", town["code"])


def test_an_order_at_a_price_that_changed_since_the_quote_is_refused_and_reserves_nothing(client):
    buyer, mine = make_user("buyer"), make_mine(price=60000)
    seen = _quote(client, buyer, mine)["total_fen"]
    raised = product(mine)
    raised.update(actions=[Product.price_fen_per_t.set(65000)])
    reply = place_retail(client, buyer, mine, quote_total_fen=seen)
    assert reply.status_code == 409 and reply.json["error"]["code"] == "quote_changed"
    assert reply.json["error"]["details"]["quote"]["total_fen"] > seen  # the new price, to be shown
    assert product(mine).reserved_kg == 0


def test_an_unknown_place_code_names_the_field(client):
    buyer, mine = make_user("buyer"), make_mine()
    reply = _order(client, buyer, mine, dict(SITE, place_code="nosuch"))
    assert reply.status_code == 400 and "place_code" in reply.json["error"]["details"]["fields"]

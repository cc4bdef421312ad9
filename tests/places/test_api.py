"""Place search, saved addresses and the map's tile configuration over HTTP."""

from backend.places.service import MAX_SAVED
from tests.builders import headers_for, make_user
from tests.callcount import count_calls


def test_search_answers_from_the_packaged_index_without_dynamodb(client):
    buyer = make_user("buyer")
    with count_calls() as calls:
        reply = client.get("/api/places/search?q=锦界", headers=headers_for(buyer))
    assert reply.status_code == 200
    assert reply.json["items"][0]["name"] == "锦界镇" and reply.json["items"][0]["county_code"] == "610881"
    assert calls == []


def test_search_without_words_names_the_field(client):
    reply = client.get("/api/places/search?q=", headers=headers_for(make_user("buyer")))
    assert reply.status_code == 400 and "q" in reply.json["error"]["details"]["fields"]


def test_a_saved_address_keeps_the_picked_places_county_and_is_the_buyers_alone(client):
    buyer, other = make_user("buyer"), make_user("buyer")
    town = client.get("/api/places/search?q=店塔镇", headers=headers_for(buyer)).json["items"][0]
    body = {"label": "砖厂", "address": "神木市店塔镇 张家砖厂", "place_code": town["code"],
            "point": {"type": "Point", "coordinates": [110.41, 38.95]}}  # fmt: skip
    saved = client.post("/api/places/saved", json=body, headers=headers_for(buyer))
    assert saved.status_code == 201
    assert (saved.json["county_code"], saved.json["county_name"]) == ("610881", "神木市")
    assert saved.json["place_code"] == town["code"]  # an order from this address keeps the county too
    mine = client.get("/api/places/saved", headers=headers_for(buyer)).json["items"]
    assert [p["address"] for p in mine] == ["神木市店塔镇 张家砖厂"] and mine[0]["point"] == [110.41, 38.95]
    assert client.get("/api/places/saved", headers=headers_for(other)).json["items"] == []
    assert client.delete(f"/api/places/saved/{saved.json['id']}", headers=headers_for(other)).status_code == 404
    assert client.delete(f"/api/places/saved/{saved.json['id']}", headers=headers_for(buyer)).status_code == 204
    assert client.get("/api/places/saved", headers=headers_for(buyer)).json["items"] == []


def test_a_saved_address_off_the_globe_or_with_an_unknown_place_is_refused(client):
    buyer = make_user("buyer")
    base = {"label": "x", "address": "某地 某厂", "point": {"type": "Point", "coordinates": [200, 39]}}
    off = client.post("/api/places/saved", json=base, headers=headers_for(buyer))
    assert off.status_code == 400 and "point" in off.json["error"]["details"]["fields"]
    unknown = dict(base, point={"type": "Point", "coordinates": [110, 39]}, place_code="nosuch")
    reply = client.post("/api/places/saved", json=unknown, headers=headers_for(buyer))
    assert reply.status_code == 400 and "place_code" in reply.json["error"]["details"]["fields"]


def test_saved_addresses_are_capped_so_one_read_lists_them(client):
    buyer = make_user("buyer")
    body = {"label": "x", "address": "某地 某厂", "point": {"type": "Point", "coordinates": [110, 39]}}
    for _ in range(MAX_SAVED):
        assert client.post("/api/places/saved", json=body, headers=headers_for(buyer)).status_code == 201
    reply = client.post("/api/places/saved", json=body, headers=headers_for(buyer))
    assert reply.status_code == 409 and reply.json["error"]["code"] == "too_many_places"


def test_map_config_follows_the_tile_setting(app, client):
    user = make_user("driver")
    assert client.get("/api/places/map", headers=headers_for(user)).json["layers"] == []
    app.config.update(TILE_PROVIDER="tianditu", TIANDITU_KEY="k123")
    try:
        reply = client.get("/api/places/map", headers=headers_for(user)).json
    finally:
        app.config.update(TILE_PROVIDER="none", TIANDITU_KEY="")
    assert reply["provider"] == "tianditu" and len(reply["layers"]) == 2
    assert all(layer.endswith("tk=k123") and "{z}" in layer for layer in reply["layers"])

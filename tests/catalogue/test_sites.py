"""Onboarding and keeping sites over HTTP: the whole site or nothing, 400s naming the field, tenancy."""

import pytest

from backend.appointments.windows import service as windows
from backend.catalogue import service as catalogue
from backend.common.clock import now_ms, shanghai_date
from backend.geofences import service as geofences
from tests.builders import headers_for, make_user, random_ref
from tests.catalogue.sites import onboard, site_body


def patch(client, site_id, body, user):
    return client.patch(f"/api/sites/{site_id}", json=body, headers=headers_for(user))


def test_an_onboarded_site_is_bookable_and_sold_at_once(client):
    body = site_body()
    reply = onboard(client, body)
    assert reply.status_code == 201, reply.json
    site = reply.json
    assert site["kind"] == "mine" and [lane["id"] for lane in site["lanes"]] == ["1", "2"]
    assert [p["id"] for p in site["products"]] == ["raw"] and site["products"][0]["available_kg"] == 5_000_000
    # Its windows follow its own template (30 minutes, 08:00-20:00), opened without waiting for the job.
    slots = windows.list_slots(mine_id=body["id"], date=shanghai_date(now_ms()), now_ms=now_ms())
    assert len(slots) == 24 and all(s.end_ms - s.start_ms == 30 * 60_000 for s in slots)
    # Its fences check trucks in: the gate point lies in the site's gate fence.
    lon, lat = body["location"]["coordinates"]
    kinds = {f["kind"] for f in geofences.fences_at(lon=lon, lat=lat, now_ms=now_ms(), mine_id=body["id"])}
    assert kinds == {"gate"}
    # And buyers see it in the catalogue with its product.
    listed = client.get("/api/catalogue/mines", headers=headers_for(make_user("buyer"))).json["items"]
    assert any(m["id"] == body["id"] and m["products"][0]["price_fen_per_t"] == 61000 for m in listed)


def test_the_daily_job_opens_the_next_days_with_the_sites_template(client):
    body = site_body(window_minutes=120, day_start_hour=6, day_end_hour=22)
    onboard(client, body)
    opened = windows.open_slots(now_ms=now_ms() + 86_400_000 * 2, days=1, mine_ids=[body["id"]])
    assert opened == {"opened": 8}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"gate_fence": {"type": "Polygon", "coordinates": [[[110.33, 38.93], [110.34, 38.93], [110.33, 38.93]]]}},
            "gate_fence",
        ),
        ({"parking_fence": {"type": "Point", "coordinates": [110.33, 38.93]}}, "parking_fence"),
        ({"location": {"type": "Point", "coordinates": [111.5, 38.93]}}, "location"),
        ({"day_start_hour": 20, "day_end_hour": 8}, "day_end_hour"),
        ({"kind": "harbour"}, "kind"),
        ({"lanes": []}, "lanes"),
        ({"lanes": [{"id": "1", "name": "a"}, {"id": "1", "name": "b"}]}, "lanes[1].id"),
        ({"products": [{"id": "raw", "name": "原煤", "name_en": "Raw", "price_fen_per_t": 0}]}, "products"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(client, change, field):
    body = site_body(**change)
    reply = onboard(client, body)
    assert reply.status_code == 400, reply.json
    assert field in reply.json["error"]["details"]["fields"]
    assert catalogue.find_mine(body["id"]) is None and catalogue.list_products(body["id"]) == []


def test_a_taken_id_is_a_409_and_the_first_site_is_untouched(client):
    body = site_body()
    onboard(client, body)
    again = onboard(client, dict(body, name="另一个", products=[dict(body["products"][0], price_fen_per_t=1)]))
    assert again.status_code == 409 and again.json["error"]["code"] == "site_exists"
    assert catalogue.find_mine(body["id"]).name == "新建煤矿"
    assert catalogue.find_product(body["id"], "raw").price_fen_per_t == 61000


def test_its_own_gate_staff_edit_it_and_others_cannot(client):
    body = site_body()
    onboard(client, body)
    own = make_user("gate", mine_id=body["id"])
    other = make_user("gate", mine_id="mine_hll")
    change = {
        "lanes": [{"id": "1", "name": "1号道", "direction": "both"}],
        "products": [{"id": "lump", "name": "块煤", "name_en": "Lump", "price_fen_per_t": 90000, "inventory_kg": 1000}],
    }
    assert patch(client, body["id"], change, other).status_code == 403
    assert client.get(f"/api/sites/{body['id']}", headers=headers_for(other)).status_code == 403
    reply = patch(client, body["id"], change, own)
    assert reply.status_code == 200, reply.json
    assert [lane["id"] for lane in reply.json["lanes"]] == ["1"]
    assert {p["id"] for p in reply.json["products"]} == {"raw", "lump"}
    assert client.get("/api/sites", headers=headers_for(own)).json["items"][0]["id"] == body["id"]
    assert client.get(f"/api/sites/{body['id']}", headers=headers_for(make_user("dispatcher"))).status_code == 200


def test_gate_staff_cannot_onboard_and_an_empty_patch_names_a_field(client):
    assert onboard(client, user=make_user("gate", mine_id="mine_hll")).status_code == 403
    body = site_body()
    onboard(client, body)
    reply = patch(client, body["id"], {}, make_user("admin"))
    assert reply.status_code == 400 and reply.json["error"]["details"]["fields"]


def test_an_edit_moves_fences_and_keeps_inventory_above_reserved(client):
    body = site_body()
    onboard(client, body)
    admin = make_user("admin")
    lon, lat = 110.40, 38.95
    from backend.seed.geo import rectangle

    moved = {"location": {"type": "Point", "coordinates": [lon, lat]}, "gate_fence": rectangle(lon, lat, 300, 300)}
    assert patch(client, body["id"], moved, admin).status_code == 200
    kinds = {f["kind"] for f in geofences.fences_at(lon=lon, lat=lat, now_ms=now_ms(), mine_id=body["id"])}
    assert kinds == {"gate"}
    stock = {"products": [{**body["products"][0], "inventory_kg": 7_000_000}]}
    reply = patch(client, body["id"], stock, admin)
    assert reply.json["products"][0]["available_kg"] == 7_000_000


def test_unknown_site_is_404(client):
    reply = client.get(f"/api/sites/{random_ref('site')}", headers=headers_for(make_user("admin")))
    assert reply.status_code == 404


def test_a_site_renamed_here_shows_in_the_order_hall_at_once(client):
    from tests.orders.helpers import driver_with_truck, place_retail

    body = site_body()
    assert onboard(client, body).status_code == 201
    assert place_retail(client, make_user("buyer"), body["id"]).status_code == 201
    driver, _ = driver_with_truck()

    def hall_name():
        items = client.get("/api/hall", query_string={"limit": 100}, headers=headers_for(driver)).json["items"]
        return next(i["mine_name"] for i in items if i["mine_id"] == body["id"])

    assert hall_name() == body["name"]  # onboarded a moment ago: the directory copy was read again
    assert patch(client, body["id"], {"name": "改名煤矿"}, make_user("admin")).status_code == 200
    assert hall_name() == "改名煤矿"

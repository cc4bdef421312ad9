"""A buyer's truckload belongs to the mine's selling shipper: listed and tracked there, changed only by the buyer."""

from tests.builders import headers_for, make_org, make_user
from tests.catalogue.sites import onboard, site_body
from tests.orders.helpers import make_mine, place_retail


def _seller_and_mine():
    seller = make_org("shipper")
    return make_user("shipper", org_id=seller.org_id), make_mine(sales_org_id=seller.org_id)


def test_the_selling_shipper_lists_and_tracks_a_buyers_order(client):
    staff, mine = _seller_and_mine()
    order = place_retail(client, make_user("buyer"), mine).json
    assert order["shipper_id"] == staff.org_id
    listed = client.get("/api/waybills", headers=headers_for(staff)).json["items"]
    assert [w["id"] for w in listed] == [order["id"]]
    # The state filter is a key condition on the shipper's state index: the order is there too.
    waiting = client.get(f"/api/waybills?state={order['state']}", headers=headers_for(staff)).json["items"]
    assert [w["id"] for w in waiting] == [order["id"]]
    trip = client.get(f"/api/tracking/waybills/{order['id']}", headers=headers_for(staff))
    assert trip.status_code == 200


def test_another_shipper_does_not_see_it(client):
    _, mine = _seller_and_mine()
    order = place_retail(client, make_user("buyer"), mine).json
    other = make_user("shipper", org_id=make_org("shipper").org_id)
    assert client.get("/api/waybills", headers=headers_for(other)).json["items"] == []
    assert client.get(f"/api/waybills/{order['id']}", headers=headers_for(other)).status_code in (403, 404)


def test_the_seller_tracks_but_only_the_buyer_cancels_or_moves_it(client):
    staff, mine = _seller_and_mine()
    buyer = make_user("buyer")
    order = place_retail(client, buyer, mine).json
    cancel = client.post(f"/api/orders/{order['id']}/cancel", json={}, headers=headers_for(staff))
    assert cancel.status_code == 403
    publish = client.post(
        f"/api/orders/loads/{order['id']}/publish", json={"freight_fen_per_t": 4000}, headers=headers_for(staff)
    )
    assert publish.status_code == 404
    assert client.post(f"/api/orders/{order['id']}/cancel", json={}, headers=headers_for(buyer)).status_code == 200


def test_a_mine_without_a_selling_shipper_leaves_the_order_unowned(client):
    order = place_retail(client, make_user("buyer"), make_mine()).json
    assert order["shipper_id"] is None


def test_a_site_names_its_selling_shipper_and_only_a_shipper_may_be_named(client):
    admin, seller = make_user("admin"), make_org("shipper")
    site = onboard(client, dict(site_body(), sales_org_id=seller.org_id), user=admin)
    assert site.status_code == 201 and site.json["sales_org_id"] == seller.org_id
    carrier = make_org("carrier")
    refused = client.patch(
        f"/api/sites/{site.json['id']}", json={"sales_org_id": carrier.org_id}, headers=headers_for(admin)
    )
    assert refused.status_code == 400 and "sales_org_id" in refused.json["error"]["details"]["fields"]


def test_the_demo_mines_sell_through_a_demo_shipper(client):
    staff = make_user("buyer")
    mines = client.get("/api/catalogue/mines", headers=headers_for(staff)).json["items"]
    sellers = {m["id"]: m.get("sales_org_id") for m in mines}
    assert sellers["mine_hll"] == "org_shp_yl" and sellers["mine_xbd"] == "org_shp_sm"


def test_a_demo_buyers_older_order_is_given_its_mines_seller_once(client):
    from backend.seed.orders import _sell_retail
    from backend.waybills import store as waybill_store
    from backend.waybills.models import Waybill
    from tests.builders import random_ref

    older = Waybill(
        random_ref("wb"),
        state="open",
        version=0,
        mine_id="mine_xbd",
        product_id="raw",
        tonnage_kg=30_000,
        buyer_id="u_buy_1",
        ordered_by="u_buy_1",
        kind="retail",
        created_at=1,
        updated_at=1,
    )
    waybill_store.create(older)
    _sell_retail()
    assert waybill_store.get(older.waybill_id).shipper_id == "org_shp_sm"
    shipper = make_user("shipper", org_id="org_shp_sm")
    assert client.get(f"/api/waybills/{older.waybill_id}", headers=headers_for(shipper)).status_code == 200

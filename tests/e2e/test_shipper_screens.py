"""The shipper's work on a 360 px phone: a buyer's order of the coal it sells shows in 在途运单 and taps through to
tracking; the bulk form defaults to what the entrusted carrier's trucks take and refuses more; a carrier's decline
is shown by name with what to do; cancelling asks first."""

from tests import builders
from tests.orders.helpers import make_mine, retail_body, shipper_with_allocation

PHONE = {"viewport": {"width": 360, "height": 740}}


def test_the_shipper_sees_and_tracks_a_buyers_order(app, client, pixel7_context, sign_in):
    with app.app_context():
        seller = builders.make_org("shipper")
        staff = builders.make_user("shipper", org_id=seller.org_id)
        mine = make_mine(sales_org_id=seller.org_id)
        buyer_headers = builders.headers_for(builders.make_user("buyer"))
    order = client.post("/api/orders/retail", json=retail_body(mine), headers=buyer_headers).json
    page = pixel7_context(**PHONE).new_page()
    sign_in(page, staff, screen="shipper-loads")
    row = page.locator(f".row.load[data-id='{order['id']}']")
    row.wait_for()
    assert "客户订单" in row.inner_text() and "测试砖厂" in row.inner_text()
    assert row.get_by_role("button", name="取消运单").count() == 0  # the buyer's to change, the seller's to track
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    row.get_by_role("link", name="跟踪").click()
    page.locator("main[data-screen='track']").wait_for()
    assert order["id"] in page.url


def test_the_bulk_form_fits_the_carriers_trucks_and_a_decline_is_shown(app, client, pixel7_context, sign_in):
    with app.app_context():
        mine = make_mine()
        staff = shipper_with_allocation(mine, 2_000_000)
        carrier = builders.make_org("carrier")
        for kg in (33_800, 33_400, 28_900):
            builders.make_vehicle(carrier.org_id, rated_load_kg=kg)
        boss_headers = builders.headers_for(builders.make_user("carrier", org_id=carrier.org_id))
        staff_headers = builders.headers_for(staff)
    page = pixel7_context(**PHONE).new_page()
    sign_in(page, staff, screen="shipper-order")
    form = page.locator("form.bulk-order")
    form.get_by_label("派单方式").select_option("entrust")
    form.get_by_label("承运商").select_option(carrier.org_id)
    page.locator(".fit:not([hidden])").wait_for()
    assert form.get_by_label("每车吨数").input_value() == "33"
    form.get_by_label("每车吨数").fill("34")
    assert "33.8" in form.locator(".field-error:not([hidden])").inner_text()
    assert form.get_by_role("button", name="生成运单").is_disabled()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360

    body = dict(retail_body(mine, 30_000), trucks=1, carrier_id=carrier.org_id)
    load = client.post("/api/orders/bulk", json=body, headers=staff_headers).json["items"][0]
    declined = client.post(
        f"/api/dispatch/loads/{load['id']}/decline", json={"reason": "车辆不足"}, headers=boss_headers
    )
    assert declined.status_code == 200
    page.get_by_role("link", name="在途运单").first.click()
    row = page.locator(f".row.load[data-id='{load['id']}']")
    row.locator(".declined").wait_for()
    assert carrier.name in row.locator(".declined").inner_text()
    row.get_by_role("button", name="取消运单").click()
    page.locator("dialog.confirm[open]").get_by_role("button", name="取消运单").click()
    row.wait_for(state="detached")  # cancelled: no longer in progress

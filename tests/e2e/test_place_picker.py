"""A buyer names the delivery place by search and pin (never degrees), sees the quote before 下单, keeps the
address for next time, and opens the order from the list; a price changed meanwhile is shown before it counts."""

from tests.builders import make_user
from tests.e2e.helpers import api_json
from tests.orders.helpers import make_mine


def test_buyer_picks_a_place_sees_the_quote_orders_and_opens_the_order_at_360_px(app, pixel7_context, sign_in):
    with app.app_context():
        mine, buyer = make_mine(inventory_kg=1_000_000), make_user("buyer")
    page = pixel7_context(viewport={"width": 360, "height": 780}).new_page()
    sign_in(page, buyer, screen="buyer-order")
    page.get_by_label("煤矿").select_option(mine)
    assert page.locator("input[name='lon'], input[name='lat']").count() == 0
    place = page.get_by_role("button", name="下单")
    assert place.is_disabled()  # no quote on screen yet

    page.get_by_role("searchbox").fill("锦界")
    page.locator(".place-result", has_text="锦界镇").first.click()
    assert "大致位置" in page.locator(".place-status").inner_text()  # a town's point is approximate: pin it
    page.locator(".place-map").click(position={"x": 200, "y": 120})  # the unloading point, tapped on the map
    page.locator(".place-status[data-approx='0']").wait_for()
    page.locator(".quote .total").wait_for()  # quoted by itself once mine, coal, tonnage and place are known
    assert page.locator(".quote .total").inner_text().startswith("¥") and place.is_enabled()
    page.get_by_label("详细地址").fill("神木市锦界镇 红石砖厂")

    page.locator(".place-save summary").click()
    page.get_by_label("常用地址名称").fill("红石砖厂")
    page.locator(".place-save").get_by_role("button", name="保存为常用地址").click()
    page.locator(".saved-place", has_text="红石砖厂").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    place.click()
    row = page.locator(".row.order").first
    row.wait_for()
    assert "订单号" in row.inner_text() and "送至 神木市锦界镇 红石砖厂" in row.inner_text()
    waybill = api_json(page, f"/api/waybills/{row.get_attribute('data-id')}")
    assert waybill["destination"]["county_code"] == "610881"  # kept for the regulatory feed
    row.locator("a.order-link").click()
    page.locator("h2.track-state[data-state='open']").wait_for()  # the order's detail: timeline and map

    # Next time the saved address fills the place in one tap.
    page.goto("/#/buyer-order")
    page.get_by_label("煤矿").select_option(mine)
    page.locator(".saved-place button", has_text="红石砖厂").click()
    assert page.get_by_label("详细地址").input_value() == "神木市锦界镇 红石砖厂"
    page.locator(".quote .total").wait_for()
    page.locator(".saved-place .chip-remove").click()  # forgetting it asks first
    page.locator("dialog.confirm").get_by_role("button", name="删除").click()
    page.locator(".saved-place").wait_for(state="detached")


def test_a_price_changed_after_the_quote_is_shown_before_the_order_counts(app, pixel7_context, sign_in):
    from backend.catalogue.models import Product
    from tests.orders.helpers import product

    with app.app_context():
        mine, buyer = make_mine(inventory_kg=1_000_000, price=60000), make_user("buyer")
    page = pixel7_context().new_page()
    sign_in(page, buyer, screen="buyer-order")
    page.get_by_label("煤矿").select_option(mine)
    page.get_by_role("searchbox").fill("兴旺砖厂")
    page.locator(".place-result").first.click()
    total = page.locator(".quote .total")
    total.wait_for()
    seen = total.inner_text()
    with app.app_context():
        product(mine).update(actions=[Product.price_fen_per_t.set(66000)])
    page.get_by_role("button", name="下单").click()
    page.locator(".form-error", has_text="价格已变化").wait_for()
    assert total.inner_text() != seen  # the new price is on screen before anything is ordered
    with app.app_context():
        assert product(mine).reserved_kg == 0
    page.get_by_role("button", name="下单").click()
    page.locator(".row.order[data-state='open']").first.wait_for()

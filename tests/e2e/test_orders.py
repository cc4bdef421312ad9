"""A buyer orders a truckload in the browser; a driver in a second browser grabs it in the order hall."""

from tests.builders import make_org, make_user, make_vehicle
from tests.e2e.helpers import api_json
from tests.orders.helpers import make_mine

GATE = (110.3302, 38.9326)


def test_buyer_orders_and_a_driver_grabs_it_in_the_hall(app, pixel7_context, sign_in):
    with app.app_context():
        mine = make_mine(inventory_kg=1_000_000)
        buyer = make_user("buyer")
        carrier = make_org("carrier").org_id
        driver, truck = make_user("driver", org_id=carrier), make_vehicle(carrier)

    buyer_page = pixel7_context().new_page()
    sign_in(buyer_page, buyer, screen="buyer-order")
    buyer_page.get_by_label("煤矿").select_option(mine)
    buyer_page.get_by_label("吨数（10–49 吨）").fill("32")
    buyer_page.get_by_label("送货地址").fill("神木市大柳塔镇 兴旺砖厂")
    buyer_page.get_by_role("button", name="报价").click()
    buyer_page.locator(".quote .total").wait_for()
    assert buyer_page.locator(".quote .total").inner_text().startswith("¥")
    buyer_page.get_by_role("button", name="下单").click()
    buyer_page.locator(".row.order[data-state='open']").wait_for()
    waybill_id = buyer_page.locator(".row.order").first.get_attribute("data-id")

    near_mine = {"longitude": GATE[0] + 0.05, "latitude": GATE[1]}
    driver_context = pixel7_context(permissions=["geolocation"], geolocation=near_mine)
    driver_page = driver_context.new_page()
    sign_in(driver_page, driver, screen="hall")
    driver_page.get_by_label("我的车辆").select_option(truck.vehicle_id)
    driver_page.get_by_label("煤矿（全部）").select_option(mine)
    driver_page.get_by_role("button", name="刷新").click()
    load = driver_page.locator(f".row.load[data-id='{waybill_id}']")
    load.wait_for()
    assert "距矿" in load.inner_text()
    load.get_by_role("button", name="抢单").click()
    driver_page.locator(f".waybill[data-id='{waybill_id}'][data-state='assigned']").wait_for()
    assert truck.plate in driver_page.locator("main, body").first.inner_text()

    buyer_page.reload()
    buyer_page.locator(f".row.order[data-id='{waybill_id}'][data-state='assigned']").wait_for()
    assert api_json(buyer_page, f"/api/waybills/{waybill_id}")["driver_id"] == driver.user_id

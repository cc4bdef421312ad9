"""A buyer orders a truckload in the browser; a driver in a second browser grabs it in the order hall."""

from tests.builders import make_org, make_user, make_vehicle
from tests.e2e.helpers import api_json, pick_place
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
    pick_place(buyer_page, "兴旺砖厂")  # the seed's site: the point the old default coordinates named
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
    driver_page.locator(".filters summary").click()  # folded away: loads fill the first screen
    driver_page.get_by_label("煤矿（全部）").select_option(mine)
    driver_page.get_by_role("button", name="刷新").click()
    load = driver_page.locator(f".load[data-id='{waybill_id}']")
    load.wait_for()
    assert "距矿" in load.inner_text() and "元/车" in load.inner_text() and "运距" in load.inner_text()
    load.get_by_role("button", name="抢单").click()
    load.locator(f"button[data-vehicle='{truck.vehicle_id}']").click()  # the picker: trucks that fit and are free
    driver_page.locator(".next-step .next-title[data-state='assigned']").wait_for()  # home: the next step, 去预约
    assert truck.plate in driver_page.locator(".next-step").inner_text()

    buyer_page.reload()
    buyer_page.locator(f".row.order[data-id='{waybill_id}'][data-state='assigned']").wait_for()
    assert api_json(buyer_page, f"/api/waybills/{waybill_id}")["driver_id"] == driver.user_id

"""A driver gives a load back only after the app says what happens to it; a slip is undone by 再想想."""

from backend.waybills import service as waybills
from tests.builders import make_user
from tests.orders.helpers import driver_with_truck, grab, make_mine, place_retail


def test_giving_a_load_back_asks_first(app, pixel7_context, sign_in):
    with app.app_context():
        client = app.test_client()
        mine = make_mine(inventory_kg=10_000_000)
        load = place_retail(client, make_user("buyer"), mine).json
        driver, truck = driver_with_truck()
        assert grab(client, driver, truck, load["id"]).status_code == 200
    page = pixel7_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(page, driver, screen="my-waybill")
    give_back = page.get_by_role("button", name="退回此单")
    give_back.click()
    asked = page.locator("dialog.confirm[open]")
    assert "回到货源大厅" in asked.inner_text()
    asked.get_by_role("button", name="再想想").click()
    with app.app_context():
        assert waybills.get(load["id"]).driver_id == driver.user_id  # still the driver's
    give_back.click()
    asked.get_by_role("button", name="退回此单").click()
    page.get_by_role("button", name="去货源大厅").wait_for()
    with app.app_context():
        assert waybills.get(load["id"]).driver_id is None

"""The order hall on a phone: loads fill the first screen as cards; the truck picker offers what fits and is free."""

import pathlib

from tests.builders import make_org, make_user, make_vehicle
from tests.orders.helpers import grab, make_mine, place_retail

SHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
NEAR_MINE = {"longitude": 110.3302 + 0.05, "latitude": 38.9326}


def test_a_load_card_and_a_picker_that_greys_out_busy_and_small_trucks(app, pixel7_context, sign_in):
    with app.app_context():
        client = app.test_client()
        mine = make_mine(inventory_kg=10_000_000)
        buyer = make_user("buyer")
        load = place_retail(client, buyer, mine, tonnage_kg=32_000).json
        other = place_retail(client, make_user("buyer"), mine).json
        carrier = make_org("carrier").org_id
        driver, colleague = make_user("driver", org_id=carrier), make_user("driver", org_id=carrier)
        free = make_vehicle(carrier)
        small = make_vehicle(carrier, rated_load_kg=20_000)
        busy = make_vehicle(carrier)
        assert grab(client, colleague, busy, other["id"]).status_code == 200  # on the road with another load
    context = pixel7_context(permissions=["geolocation"], geolocation=NEAR_MINE, viewport={"width": 360, "height": 780})
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, driver, "hall")

    card = page.locator(f".load[data-id='{load['id']}']")
    card.wait_for()
    assert card.is_visible() and not page.locator(".filters form").is_visible()  # filters folded, the load on screen
    text = card.inner_text()
    assert "元/车" in text and "装货日" in text and "运距" in text and "货主" in text, text
    assert card.locator(f"a[href='tel:{buyer.phone}']").count() == 0  # a private buyer's phone stays private
    assert card.locator("a.nav-amap").get_attribute("href").startswith("https://uri.amap.com/navigation?to=")

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "driver-hall-360.png"))
    card.get_by_role("button", name="抢单").click()
    choice = {v.vehicle_id: card.locator(f"button[data-vehicle='{v.vehicle_id}']") for v in (free, small, busy)}
    assert choice[free.vehicle_id].is_enabled()
    assert choice[small.vehicle_id].is_disabled() and "载重不够" in choice[small.vehicle_id].inner_text()
    assert choice[busy.vehicle_id].is_disabled() and "在途中" in choice[busy.vehicle_id].inner_text()
    assert choice[free.vehicle_id].bounding_box()["height"] >= 48
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "driver-hall-picker-360.png"))

    choice[free.vehicle_id].click()
    page.locator(".next-step .next-title[data-state='assigned']").wait_for()
    assert free.plate in page.locator(".next-step").inner_text()

"""A delivery finished offline: the driver arrives and takes the receipt with no signal, syncs from another
screen, the buyer sees it once."""

from tests.e2e.helpers import PNG, fixes_counted, wait_for_service_worker
from tests.tracking.conftest import MINE_GATE, SITE, make_waybill, towards


def test_offline_delivery_syncs_and_the_buyer_sees_it_once(app, pixel7_context, sign_in, tmp_path):
    from backend.receipts.service import receipt_code
    from backend.waybills import store as waybill_store

    with app.app_context():
        world = make_waybill(state="in_transit", net_kg=34000)
        code = receipt_code(world["waybill"].waybill_id)
    wid = world["waybill"].waybill_id
    near = towards(MINE_GATE, SITE, 0.9)
    driver = pixel7_context(permissions=["geolocation"], geolocation={"longitude": near[0], "latitude": near[1]})
    page = driver.pages[0] if driver.pages else driver.new_page()
    sign_in(page, world["driver"], screen=f"trip?waybill={wid}")
    wait_for_service_worker(page)
    page.locator(".trip-status", has_text="运输中").wait_for()

    driver.set_offline(True)
    before = fixes_counted(page, at_least=1)  # the first fix, near the site
    driver.set_geolocation({"longitude": SITE[0], "latitude": SITE[1]})
    fixes_counted(page, at_least=before + 1)  # the fix inside the fence, which arriving sends
    page.get_by_role("button", name="到达卸货点").click()
    page.locator(".trip-status", has_text="已到达").wait_for()
    photo = tmp_path / "coal.png"
    photo.write_bytes(PNG)
    page.get_by_label("收货重量（吨）").fill("33.98")
    page.get_by_label("拍照（煤堆或签字回单）").set_input_files(str(photo))
    page.get_by_label("或输入收货码").fill(code)
    page.get_by_role("button", name="提交回单").click()
    page.locator(".receipt-pending").wait_for()
    with app.app_context():
        assert waybill_store.get(wid).state == "in_transit"  # nothing reached the server while offline

    # The signal comes back while the driver looks at another screen: the outbox still sends it all.
    page.locator("nav.bottomnav a[data-screen='home']").click()
    page.locator("main#screen[data-screen='home']").wait_for()
    driver.set_offline(False)
    page.locator(".badge.pending[data-count='0']").wait_for(state="attached")
    with app.app_context():
        assert waybill_store.get(wid).state == "unloaded"

    buyer = pixel7_context()
    buyer_page = buyer.pages[0] if buyer.pages else buyer.new_page()
    sign_in(buyer_page, world["buyer"], screen=f"track?waybill={wid}")
    buyer_page.locator("h2.track-state[data-state='unloaded']").wait_for()
    assert buyer_page.locator(".timeline li[data-action='unload']").count() == 1
    assert buyer_page.locator(".receipt .receipt-status").inner_text().endswith("待确认")
    buyer_page.get_by_role("button", name="确认收货").click()
    buyer_page.locator("h2.track-state[data-state='confirmed']").wait_for()
    with app.app_context():
        from backend.waybills.store import history

        actions = [e.action for e in history(wid)]
    assert actions.count("unload") == 1 and actions[-1] == "confirm"
    assert "arrive" in actions


def _trip_on_the_road(app):
    """A waybill in transit with half its way driven (fixes fed as the phone would), and a shipper user."""
    from backend.common.clock import now_ms
    from tests.builders import make_user
    from tests.tracking.conftest import fix
    from tests.tracking.test_trips import feed

    with app.app_context():
        world = make_waybill(state="in_transit")
        t = now_ms() - 11 * 60_000
        fixes = [fix(*towards(MINE_GATE, SITE, i / 20), t + i * 60_000, speed_kmh=45) for i in range(11)]
        feed(world, fixes, now_ms())
        world["shipper"] = make_user("shipper", org_id=world["shipper_org"].org_id)
    return world


def test_the_tracking_map_draws_its_layers_for_the_buyer_and_the_shipper_at_360_px(app, pixel7_context, sign_in):
    world = _trip_on_the_road(app)
    wid = world["waybill"].waybill_id
    for who in ("buyer", "shipper"):
        context = pixel7_context(viewport={"width": 360, "height": 780})
        page = context.pages[0] if context.pages else context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))  # noqa: B023 - read before the next context
        sign_in(page, world[who], screen=f"track?waybill={wid}")
        page.locator(".track-map[data-layers]").wait_for(state="attached")
        # Destination fence, expected route and track as paths; the mines as labelled dots; the truck with its plate.
        assert page.locator(".track-map path.leaflet-interactive").count() >= 3
        assert page.locator(".track-map .truck-marker").count() == 1
        assert page.locator(".track-map .leaflet-tooltip.plate").inner_text() == world["vehicle"].plate
        assert page.locator(".track-map .leaflet-tooltip.map-label", has_text="红柳林").count() >= 1
        assert page.locator(".track-map").get_attribute("data-tiles") == "none"  # no tile server: our layers alone
        assert page.get_by_text("地图不可用").count() == 0 and errors == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        context.close()


def test_the_live_map_lists_the_trucks_in_view_and_refreshes_by_itself(app, pixel7_context, sign_in):
    from backend.common.clock import now_ms
    from tests.builders import make_user
    from tests.tracking.conftest import fix
    from tests.tracking.test_trips import feed

    first, later = _trip_on_the_road(app), None
    with app.app_context():
        dispatcher = make_user("dispatcher")
    context = pixel7_context()
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, dispatcher, screen="livemap")
    row = page.locator(".live-row", has_text=first["vehicle"].plate)
    row.wait_for()
    assert page.locator(".live-map .truck-marker").count() >= 1
    assert page.locator(".live-map .leaflet-tooltip.plate", has_text=first["vehicle"].plate).count() == 1
    assert page.locator(".live-map path.leaflet-interactive").count() >= 1  # the mines' fences
    # Another truck sets off: it appears without anyone touching the map (polling, not only on a move).
    with app.app_context():
        later = make_waybill(state="in_transit")
        feed(later, [fix(*towards(MINE_GATE, SITE, 0.3), now_ms() - 30_000, speed_kmh=40)], now_ms())
    page.locator(".live-row", has_text=later["vehicle"].plate).wait_for(timeout=15_000)
    # A tap on a row centres the map on that truck.
    page.locator(".live-row", has_text=later["vehicle"].plate).click()
    page.locator(".live-map .truck-marker.picked").wait_for()
    # The command centre's wall shows the same live map.
    page.goto("/#/command?wall=1")
    page.locator('[data-slot="wall-map"] .live-row', has_text=later["vehicle"].plate).wait_for()
    context.close()

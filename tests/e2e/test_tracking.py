"""A delivery finished offline: the driver arrives and takes the receipt with no signal, syncs, the buyer sees it once."""
import base64
import time

from tests.e2e.helpers import wait_for_service_worker
from tests.tracking.conftest import MINE_GATE, SITE, make_waybill, towards

# A 1x1 PNG stands in for the camera's photo.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def wait_until(predicate, timeout_s=30):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("condition not met in time")


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
    driver.set_geolocation({"longitude": SITE[0], "latitude": SITE[1]})
    page.wait_for_timeout(1500)  # let the watch deliver the fix inside the fence
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

    driver.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    with app.app_context():
        wait_until(lambda: waybill_store.get(wid).state == "unloaded")

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

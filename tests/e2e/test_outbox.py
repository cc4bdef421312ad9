"""The outbox from a user's side: writes survive a failing server and are delivered once, in order, from any screen."""

import json

import pytest
from playwright.sync_api import expect

from tests import builders
from tests.e2e.helpers import PNG, api_json, outbox_count, outbox_replayed

pytestmark = pytest.mark.e2e
VEHICLES = "**/api/fleet/vehicles"


@pytest.fixture
def fleet_page(pixel7_context, make_account, make_organisation, sign_in):
    """A carrier on the fleet screen; service workers blocked so page.route sees every API call."""
    context = pixel7_context(service_workers="block")
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, make_account("carrier", org_id=make_organisation("carrier")), screen="fleet")
    page.get_by_label("车牌号").wait_for()
    return page


def add_vehicle(page, plate):
    page.get_by_label("车牌号").fill(plate)
    page.get_by_role("button", name="保存").click()


def queued(page, count):
    """Wait until `count` writes are pending and the form was cleared for the next one.

    The badge updates as soon as the write is queued, a moment before the screen resets its form:
    typing the next plate in between would be wiped by that reset.
    """
    page.locator(f".badge.pending[data-count='{count}']").wait_for()
    expect(page.get_by_label("车牌号")).to_have_value("")


def answer_posts_with(status):
    def handler(route):
        if route.request.method != "POST":
            return route.continue_()
        body = {"error": {"code": "unavailable", "message": "try later", "details": {}}}
        return route.fulfill(status=status, content_type="application/json", body=json.dumps(body))

    return handler


def plates_listed(page):
    return [v["plate"] for v in api_json(page, "/api/fleet/vehicles?limit=100")["items"]]


def test_writes_refused_with_503_stay_queued_and_replay_in_order_once(fleet_page):
    page, first, second = fleet_page, builders.random_plate(), builders.random_plate()
    page.route(VEHICLES, answer_posts_with(503))
    add_vehicle(page, first)
    queued(page, 1)
    add_vehicle(page, second)
    queued(page, 2)

    page.unroute(VEHICLES)
    delivered = []
    page.on(
        "request",
        lambda r: (
            r.method == "POST"
            and r.url.endswith("/api/fleet/vehicles")
            and delivered.append(json.loads(r.post_data)["plate"])
        ),
    )
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.locator(".badge.pending[data-count='0']").wait_for(state="attached")
    assert delivered == [first, second]
    listed = plates_listed(page)
    assert listed.count(first) == 1 and listed.count(second) == 1


def test_each_send_of_a_queued_write_says_how_many_times_its_key_was_sent(fleet_page):
    # The server skips the look-up of a stored reply only on a key's first send (Idempotency-Attempt: 1): a resend
    # saying 1 could be refused where its first reply should have been replayed.
    page, plate, sends = fleet_page, builders.random_plate(), []

    def refuse_and_note(route):
        if route.request.method == "POST":
            headers = route.request.headers
            sends.append((headers["idempotency-key"], headers.get("idempotency-attempt")))
        return answer_posts_with(503)(route)

    page.route(VEHICLES, refuse_and_note)
    add_vehicle(page, plate)
    queued(page, 1)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # a second pass, refused again
    for _ in range(100):
        if len(sends) >= 2:
            break
        page.wait_for_timeout(50)
    page.unroute(VEHICLES)
    delivered = []
    page.on(
        "request",
        lambda r: r.method == "POST" and r.url.endswith("/api/fleet/vehicles") and delivered.append(r.headers),
    )
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.locator(".badge.pending[data-count='0']").wait_for(state="attached")
    keys = {key for key, _ in sends} | {headers["idempotency-key"] for headers in delivered}
    attempts = [attempt for _, attempt in sends] + [headers.get("idempotency-attempt") for headers in delivered]
    assert len(keys) == 1 and attempts == [str(n) for n in range(1, len(attempts) + 1)] and len(attempts) >= 3
    assert plates_listed(page).count(plate) == 1


def test_a_429_is_retried_not_dropped(fleet_page):
    page, plate = fleet_page, builders.random_plate()
    page.route(VEHICLES, answer_posts_with(429))
    add_vehicle(page, plate)
    queued(page, 1)
    page.unroute(VEHICLES)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.locator(".badge.pending[data-count='0']").wait_for(state="attached")
    assert plates_listed(page).count(plate) == 1


def test_a_rejected_write_shows_the_field_error_and_is_not_kept(fleet_page):
    page = fleet_page
    add_vehicle(page, "ABC12345")
    error = page.locator(".field-error:not([hidden])").first
    error.wait_for()
    assert page.get_by_label("车牌号").get_attribute("aria-invalid") is not None
    assert outbox_count(page) == 0


def test_a_write_rejected_on_replay_is_reported_and_removed(fleet_page):
    page = fleet_page
    page.context.set_offline(True)
    add_vehicle(page, "ABC12345")
    page.locator(".badge.pending[data-count='1']").wait_for()
    page.context.set_offline(False)
    page.locator(".toast-error").wait_for()
    assert "ABC12345" in page.locator(".toast-error").inner_text()
    page.locator(".badge.pending[data-count='0']").wait_for(state="attached")


def test_on_a_shared_phone_queued_writes_wait_for_the_user_who_made_them(
    pixel7_context, make_account, make_organisation, sign_in
):
    org_id = make_organisation("carrier")
    first, second = make_account("carrier", org_id=org_id), make_account("carrier", org_id=org_id)
    page, plate = pixel7_context().new_page(), builders.random_plate()
    sign_in(page, first, screen="fleet")
    page.get_by_label("车牌号").wait_for()  # the screen drawn before the signal goes (its modules were loading)
    page.context.set_offline(True)
    add_vehicle(page, plate)
    page.locator(".badge.pending[data-count='1']").wait_for()

    page.evaluate("() => localStorage.clear()")  # signed out without reaching the server
    page.goto("about:blank")
    page.context.set_offline(False)
    sign_in(page, second, screen="fleet")
    outbox_replayed(page)  # the start-up replay has run for the second user
    assert outbox_count(page) == 0
    assert plate not in plates_listed(page)

    sign_in(page, first, screen="fleet")
    page.locator(f".vehicle[data-plate='{plate}']:not(:has(.pending-tag))").wait_for()
    assert plates_listed(page).count(plate) == 1


def sign_with_a_finger(page, canvas):
    """A touch stroke across the canvas, as on a phone (touch events, not a mouse)."""
    box = canvas.bounding_box()
    points = [{"x": box["x"] + 20 + 14 * i, "y": box["y"] + 30 + 7 * i} for i in range(10)]
    session = page.context.new_cdp_session(page)
    try:
        session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points[:1]})
        for point in points[1:]:
            session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        session.detach()


def test_a_receipt_queued_offline_is_delivered_at_the_next_start_without_the_trip_screen(
    app, pixel7_context, sign_in, tmp_path
):
    """Photo and signature wait in the one outbox with the receipt; reopening the app on home sends all three."""
    from tests.tracking.conftest import make_waybill

    with app.app_context():
        world = make_waybill(state="arrived", net_kg=34000)
    wid = world["waybill"].waybill_id
    page = pixel7_context(service_workers="block").new_page()
    sign_in(page, world["driver"], screen=f"trip?waybill={wid}")
    form = page.locator(".receipt-form")
    form.wait_for()

    page.context.set_offline(True)
    photo = tmp_path / "coal.png"
    photo.write_bytes(PNG)
    form.get_by_label("收货重量（吨）").fill("33.90")
    form.get_by_label("拍照（煤堆或签字回单）").set_input_files(str(photo))
    sign_with_a_finger(page, form.locator("canvas.signature"))
    form.get_by_role("button", name="提交回单").click()
    page.locator(".receipt-pending").wait_for()
    page.locator(".badge.pending[data-count='1']").wait_for()

    page.goto("about:blank")  # the app is closed with the receipt still on the phone
    page.context.set_offline(False)
    page.goto("/#/home")
    page.locator("main#screen[data-screen='home']").wait_for()
    page.locator(".badge.pending[data-count='0']").wait_for(state="attached")
    receipt = api_json(page, f"/api/receipts/{wid}")
    assert receipt["received_kg"] == 33900 and receipt["signed_by"] == "signature"
    assert len(receipt["photos"]) == 1 and receipt["signature"]
    assert api_json(page, f"/api/waybills/{wid}")["state"] == "unloaded"

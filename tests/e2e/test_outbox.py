"""The outbox from a user's side: writes survive a failing server and are delivered once, in order."""
import json

import pytest
from playwright.sync_api import expect

from tests import builders
from tests.e2e.helpers import api_json, outbox_count

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
    page.on("request", lambda r: r.method == "POST" and r.url.endswith("/api/fleet/vehicles")
            and delivered.append(json.loads(r.post_data)["plate"]))
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.locator(".badge.pending[data-count='0']").wait_for(state="attached")
    assert delivered == [first, second]
    listed = plates_listed(page)
    assert listed.count(first) == 1 and listed.count(second) == 1


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
        pixel7_context, make_account, make_organisation, sign_in):
    org_id = make_organisation("carrier")
    first, second = make_account("carrier", org_id=org_id), make_account("carrier", org_id=org_id)
    page, plate = pixel7_context().new_page(), builders.random_plate()
    sign_in(page, first, screen="fleet")
    page.context.set_offline(True)
    add_vehicle(page, plate)
    page.locator(".badge.pending[data-count='1']").wait_for()

    page.evaluate("() => localStorage.clear()")  # signed out without reaching the server
    page.goto("about:blank")
    page.context.set_offline(False)
    sign_in(page, second, screen="fleet")
    page.wait_for_timeout(500)
    assert outbox_count(page) == 0
    assert plate not in plates_listed(page)

    sign_in(page, first, screen="fleet")
    page.locator(f".vehicle[data-plate='{plate}']:not(:has(.pending-tag))").wait_for()
    assert plates_listed(page).count(plate) == 1

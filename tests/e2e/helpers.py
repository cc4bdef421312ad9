"""Page helpers shared by the browser tests (see conftest.py for the fixtures)."""

import base64
import json

from tests import builders

# A 1x1 PNG stands in for the camera's photo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def login(page, phone, password=builders.PASSWORD):
    """Sign in through the form and wait for the signed-in shell."""
    if not page.url.startswith("http"):
        page.goto("/")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.locator("body[data-view='shell']").wait_for()


def wait_for_service_worker(page, timeout_ms=15000):
    """Wait until a service worker controls the page (its install, hence the precache, is done)."""
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=timeout_ms
    )
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")


def outbox_count(page):
    """The pending-writes badge's number (0 when hidden)."""
    badge = page.locator(".badge.pending")
    return int(badge.get_attribute("data-count") or 0) if badge.is_visible() else 0


def api_json(page, path):
    """GET an API path through the page's own API client (its in-memory token, the browser's network)."""
    return json.loads(
        page.evaluate("async (p) => JSON.stringify(await (await import('/lib/api.js')).api.get(p))", path)
    )


def outbox_replayed(page):
    """Run the outbox's replay in the page and wait for the pass to end (the one a trigger just started, if any)."""
    page.evaluate("() => import('/lib/outbox.js').then((outbox) => outbox.flush()).then(() => true)")


def fixes_counted(page, at_least):
    """Wait until the trip screen has counted `at_least` position fixes; returns the count."""
    page.wait_for_function("(n) => Number(document.querySelector('.fix-count')?.dataset.fixes) >= n", arg=at_least)
    return int(page.locator(".fix-count").get_attribute("data-fixes"))


def pick_place(page, query, name=None):
    """The order form's place picker: search the gazetteer and tap the result named `name` (else the first)."""
    page.get_by_role("searchbox").fill(query)
    results = page.locator(".place-result", has_text=name or query)
    results.first.click()
    page.locator(".place-map[data-pinned='1'], .place-status[data-approx]").first.wait_for(state="attached")

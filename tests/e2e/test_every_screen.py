"""Every screen a demo user can reach opens cleanly on a 360 px phone: no crash, no error, no raw values.

One signed-in page per role (tokens put straight into storage, no login call); each test moves that page
to a screen the way the app does (the hash route) and waits for its requests to settle.
"""

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from backend.seed import demo_data
from tests.e2e.conftest import CHROMIUM_ARGS, put_session

pytestmark = pytest.mark.e2e

REGISTRY = Path(__file__).resolve().parents[2] / "pwa" / "lib" / "screens.js"
DEMO_USER_BY_ROLE = {
    "driver": "u_drv_1",
    "carrier": "u_car_sd",
    "shipper": "u_shp_yl",
    "buyer": "u_buy_1",
    "gate": "u_gate_hll",
    "dispatcher": "u_dispatch",
    "admin": "u_admin",
}
PHONE_WIDTH = 360
RAW_VALUE = re.compile(r"\b(undefined|null|NaN)\b|\[object Object\]")
# t() renders a missing key as the key itself: lower-case words joined by '.' or '_' (ids have known prefixes).
MESSAGE_KEY = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:[._][a-z0-9]+)+(?![\w./-])")
ID_PREFIXES = ("wb_", "bk_", "veh_", "org_", "u_", "mine_", "slot_", "ord_", "dev_", "alert_", "hold_", "tk_")
# Internal ids a user should see as names: the demo's mines and coal products.
INTERNAL_IDS = [m["mine_id"] for m in demo_data.MINES] + [p[0] for p in demo_data.PRODUCTS]
INTERNAL_ID = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, INTERNAL_IDS)) + r")(?![A-Za-z0-9_])")


def _registry_entries():
    """(role, screen id) pairs read from the registry source, so the tests are named before any page opens."""
    source = REGISTRY.read_text(encoding="utf-8")
    all_roles = re.search(r"ALL_ROLES\s*=\s*\[([^\]]*)\]", source).group(1)
    pairs = []
    for screen_id, roles in re.findall(r"\{\s*id:\s*'([^']+)',\s*roles:\s*(ALL_ROLES|\[[^\]]*\])", source):
        for role in re.findall(r"'(\w+)'", all_roles if roles == "ALL_ROLES" else roles):
            pairs.append((role, screen_id))
    return pairs


SCREENS = _registry_entries()


class RolePage:
    """A signed-in page for one role that records errors, failed API calls and requests in flight."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        self.in_flight = set()
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("console", self._console)
        page.on("request", lambda request: self.in_flight.add(request))
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)

    def _console(self, message):
        if message.type == "error" and not _is_tile_failure(message.location.get("url", ""), message.text):
            self.problems.append(f"console error: {message.text} @ {message.location.get('url')}")

    def _finished(self, request):
        self.in_flight.discard(request)
        response = request.response()
        if "/api/" in request.url and response is not None and response.status >= 500:
            self.problems.append(f"{request.method} {request.url} -> {response.status}")

    def _failed(self, request):
        self.in_flight.discard(request)
        if "/api/" in request.url:
            self.problems.append(f"{request.method} {request.url} failed: {request.failure}")

    def settle(self, quiet_ms=600, timeout_ms=10000):
        """Wait until no request has been in flight for quiet_ms (screens may keep polling after that).

        Waits on the page's request events, not on a clock: each wait ends as soon as a request starts
        or finishes, and the screen has settled when quiet_ms pass with nothing in flight and nothing new.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            busy = bool(self.in_flight)
            try:
                self.page.wait_for_event("requestfinished" if busy else "request", timeout=quiet_ms)
            except PlaywrightTimeoutError:
                if not busy and not self.in_flight:
                    return

    def open(self, screen_id):
        """Go to a screen through the hash route and wait for it to render and settle."""
        self.page.evaluate("() => document.querySelectorAll('.toast').forEach((t) => t.remove())")
        self.page.evaluate("() => { location.hash = '#/home'; }")
        self.page.locator("main#screen[data-screen='home']").wait_for()
        self.problems.clear()
        self.page.evaluate("(id) => { location.hash = '#/' + encodeURIComponent(id); }", screen_id)
        self.page.locator(f"main#screen[data-screen='{screen_id}']").wait_for()
        self.settle()
        self.page.locator("main#screen .loading").first.wait_for(state="detached", timeout=5000)


def _is_tile_failure(url, text):
    """Map tiles come from a third-party host that may be unreachable: those failures are expected."""
    return "tile" in url.lower() or (
        "Failed to load resource" in text
        and "/api/" not in url
        and url
        and not url.startswith(("http://127.0.0.1", "http://localhost"))
    )


@pytest.fixture(scope="module")
def role_page(app, live_server, playwright_driver):
    """role_page(role): that role's demo user, signed in on a 360 px Pixel 7 page (one page per role)."""
    from backend.auth import store as auth_store

    browser = playwright_driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
    pages = {}

    def get(role):
        if role not in pages:
            device = dict(playwright_driver.devices["Pixel 7"])
            device.pop("default_browser_type", None)
            device["viewport"] = {"width": PHONE_WIDTH, "height": 760}
            context = browser.new_context(
                **device, base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai", service_workers="block"
            )
            context.set_default_timeout(15000)
            with app.app_context():
                user = auth_store.get_user(DEMO_USER_BY_ROLE[role])
            page = context.new_page()
            watched = RolePage(page)
            put_session(page, app, user, live_server, extra_storage={"ch.lang": "zh"})
            page.goto("/#/home")
            page.reload()
            page.locator("body[data-view='shell']").wait_for()
            pages[role] = watched
        return pages[role]

    yield get
    browser.close()


def _visible_errors(page):
    return page.evaluate("""() => [...document.querySelectorAll(
            '.toast-error, .form-error, .error, [role=alert][class*=error]')]
        .filter((el) => el.offsetParent !== null && el.textContent.trim()).map((el) => el.textContent.trim())""")


def _screen_text(page):
    """What the user reads on the screen (machine strings in <code>, like a pass token, left out)."""
    return page.evaluate("""() => { const main = document.querySelector('main#screen');
        let text = main.innerText;
        main.querySelectorAll('code').forEach((el) => { text = text.replace(el.innerText, ''); });
        return text; }""")


def _control_values(page):
    """The values shown in the screen's form controls."""
    return page.evaluate("""() => { const main = document.querySelector('main#screen');
        return [...main.querySelectorAll('input, textarea')].map((el) => el.value)
            .concat([...main.querySelectorAll('select')].map((el) => el.selectedOptions[0]?.textContent ?? ''))
            .join('\\n'); }""")


def _raw_keys(text):
    return [key for key in MESSAGE_KEY.findall(text) if not key.startswith(ID_PREFIXES)]


def test_the_registry_in_the_page_is_the_one_tested(role_page):
    page = role_page("admin").page
    in_page = page.evaluate("""async () => { const { SCREENS } = await import('/lib/screens.js');
        return SCREENS.flatMap((s) => s.roles.map((role) => [role, s.id])); }""")
    assert sorted(map(tuple, in_page)) == sorted(SCREENS)


@pytest.mark.parametrize(("role", "screen_id"), SCREENS, ids=[f"{r}-{s}" for r, s in SCREENS])
def test_the_screen_opens_cleanly(role_page, role, screen_id):
    watched = role_page(role)
    watched.open(screen_id)
    page = watched.page
    assert watched.problems == []
    assert _visible_errors(page) == []
    text = _screen_text(page)
    for shown in (text, _control_values(page)):
        assert not RAW_VALUE.search(shown), RAW_VALUE.search(shown).group(0) + " in:\n" + shown
    assert _raw_keys(text) == [], text
    assert INTERNAL_ID.findall(text) == [], text
    assert "Invalid Date" not in text, text
    has_content = page.locator("main#screen").locator("h1, h2, h3, ul, ol, table, dl, form, .leaflet-container").count()
    assert has_content, f"{screen_id} rendered no heading or list:\n{text}"


@pytest.mark.parametrize(("role", "screen_id"), SCREENS, ids=[f"{r}-{s}" for r, s in SCREENS])
def test_the_screen_fits_a_360px_phone(role_page, role, screen_id):
    watched = role_page(role)
    watched.open(screen_id)
    overflow = watched.page.evaluate("""() => { const width = document.scrollingElement.scrollWidth;
        const wide = [...document.querySelectorAll('main#screen *')]
            .filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
            .slice(0, 3).map((el) => el.tagName.toLowerCase() + '.' + el.className);
        return { width, wide }; }""")
    assert overflow["width"] <= PHONE_WIDTH + 1, overflow


@pytest.mark.parametrize("role", sorted(DEMO_USER_BY_ROLE))
def test_english_home_has_every_word(role_page, role):
    watched = role_page(role)
    page = watched.page
    watched.open("home")
    page.get_by_role("button", name="English").click()
    try:
        page.get_by_role("button", name="中文").wait_for()
        page.locator("main#screen[data-screen='home'] .user-role").wait_for()
        text = page.locator("body").inner_text()
        assert _raw_keys(text) == [], text
        assert "role." not in text
        tiles = page.locator("main#screen .tile").all_inner_texts()
        assert all(re.search(r"[A-Za-z]", tile) for tile in tiles), tiles
    finally:
        page.get_by_role("button", name="中文").click()
        page.get_by_role("button", name="English").wait_for()

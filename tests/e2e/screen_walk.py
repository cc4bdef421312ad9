"""Walking the PWA's screens as a demo user on a phone: the registry's screens, a signed-in page per role, and the
checks every screen must pass in zh-CN (no crash, no raw id or value, no English server message, no overflow).
Shared by test_every_screen.py (each screen at 360 px) and test_role_walks.py (each role's walk at 360 and 412 px)."""

import re
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from backend.seed import demo_data
from tests.e2e.conftest import CHROMIUM_ARGS, put_session

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


def registry_entries():
    """(role, screen id) pairs read from the registry source, so the tests are named before any page opens."""
    source = REGISTRY.read_text(encoding="utf-8")
    all_roles = re.search(r"ALL_ROLES\s*=\s*\[([^\]]*)\]", source).group(1)
    pairs = []
    for screen_id, roles in re.findall(r"\{\s*id:\s*'([^']+)',\s*roles:\s*(ALL_ROLES|\[[^\]]*\])", source):
        for role in re.findall(r"'(\w+)'", all_roles if roles == "ALL_ROLES" else roles):
            pairs.append((role, screen_id))
    return pairs


SCREENS = registry_entries()


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
        if message.type == "error" and not is_tile_failure(message.location.get("url", ""), message.text):
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


def is_tile_failure(url, text):
    """Map tiles come from a third-party host that may be unreachable: those failures are expected."""
    return "tile" in url.lower() or (
        "Failed to load resource" in text
        and "/api/" not in url
        and url
        and not url.startswith(("http://127.0.0.1", "http://localhost"))
    )


def launch(playwright_driver):
    """One headless Chromium for a module's pages (started once: the machine is small)."""
    return playwright_driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)


def open_role(browser, app, live_server, playwright_driver, role, width=PHONE_WIDTH):
    """That role's demo user signed in on a Pixel 7 page `width` px wide, in zh-CN, on its home screen."""
    from backend.auth import store as auth_store

    device = dict(playwright_driver.devices["Pixel 7"])
    device.pop("default_browser_type", None)
    device["viewport"] = {"width": width, "height": 760}
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
    return watched


def visible_errors(page):
    return page.evaluate("""() => [...document.querySelectorAll(
            '.toast-error, .form-error, .error, [role=alert][class*=error]')]
        .filter((el) => el.offsetParent !== null && el.textContent.trim()).map((el) => el.textContent.trim())""")


def screen_text(page):
    """What the user reads on the screen (machine strings in <code> and a map's attribution left out)."""
    return page.evaluate("""() => { const main = document.querySelector('main#screen');
        let text = main.innerText;
        main.querySelectorAll('code, .leaflet-control-container')
            .forEach((el) => { text = text.replace(el.innerText, ''); });
        return text; }""")


def control_values(page):
    """The values shown in the screen's form controls."""
    return page.evaluate("""() => { const main = document.querySelector('main#screen');
        return [...main.querySelectorAll('input, textarea')].map((el) => el.value)
            .concat([...main.querySelectorAll('select')].map((el) => el.selectedOptions[0]?.textContent ?? ''))
            .join('\\n'); }""")


def raw_keys(text):
    return [key for key in MESSAGE_KEY.findall(text) if not key.startswith(ID_PREFIXES)]


WORDS_JS = REGISTRY.parent / "waybill-words.js"
STATES = sorted(set(re.findall(r"'waybill\.state\.(\w+)'", WORDS_JS.read_text(encoding="utf-8"))))
# Ids the API hands out (backend.common.ids: "<prefix>_<16 hex>") and the seed's readable ones ("wb_demo_clone").
RAW_ID = re.compile(
    r"(?<![\w./-])(?:wb|bk|veh|org|u|mine|slot|ord|dev|al|alert|hold|tk|wt|wh|tf|si|qr|pl|fence|cp|ap)_[A-Za-z0-9_]+"
)
HEX_TAIL = re.compile(r"(?<![\w./#-])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{6,}(?![\w.-])")  # "运单 1d5679"
EPOCH_MS = re.compile(r"(?<!\d)1[6-9]\d{11}(?!\d)")  # "geofence at 1795975187330"
# A server's English sentence shown raw on a zh-CN screen: three or more English words in a row.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,:;'’-]+[A-Za-z]{2,}){2,}")
RAW_STATE = re.compile(r"(?<![\w.])(" + "|".join(STATES) + r")(?![\w.])")  # "扣车前状态: called"
LATIN_UNIT = re.compile(r"\d\s?(?:t|kg|km)(?![\w/])")  # "33 t" where the screen says 吨


def words_problems(text):
    """What a zh-CN screen shows that is not in the user's words: ids, epoch times, English, raw states, latin units."""
    found = []
    for name, pattern in (
        ("raw id", RAW_ID),
        ("id fragment", HEX_TAIL),
        ("epoch ms", EPOCH_MS),
        ("English", ENGLISH),
        ("raw state", RAW_STATE),
        ("latin unit", LATIN_UNIT),
        ("internal id", INTERNAL_ID),
    ):
        found += [f"{name}: {m.group(0)!r}" for m in pattern.finditer(text)]
    found += [f"message key: {key!r}" for key in raw_keys(text)]
    found += [f"raw value: {m.group(0)!r}" for m in RAW_VALUE.finditer(text)]
    return found


def overflow(page):
    """The page's scroll width and the first elements sticking out of the viewport on the right."""
    return page.evaluate("""() => ({ width: document.scrollingElement.scrollWidth, viewport: innerWidth,
        wide: [...document.querySelectorAll('main#screen *')]
            .filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
            .slice(0, 3).map((el) => el.tagName.toLowerCase() + '.' + el.className) })""")

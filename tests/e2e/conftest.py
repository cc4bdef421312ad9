"""Browser fixtures for end-to-end tests: Debian's Chromium driven by Python Playwright.

Reuse them in any `tests/e2e/test_*.py` (they are found automatically):

- `chromium` (session): a launched headless Chromium (`/usr/bin/chromium`, sandbox-free flags).
- `pixel7_context` (factory): `context = pixel7_context(**overrides)` opens a *persistent* context
  (fresh user-data-dir per call, so installability and service workers behave as on a phone)
  emulating a Pixel 7, with `base_url` = the live server; closed after the test. Pass e.g.
  `permissions=["geolocation"], geolocation={"longitude": 110.33, "latitude": 38.93}`.
- `pixel7_page`: one page in a fresh Pixel 7 context.
- `make_account(role, org_id=None, mine_id=None)`: a fresh user (random phone, password
  `builders.PASSWORD`) — the login limit is 5 tries per phone, so tests never share demo users.
- `make_organisation(kind)`: a fresh organisation's id (e.g. a carrier for fleet tests).
- `login` fixture (also `tests.e2e.helpers.login`): `login(page, phone, password=PASSWORD)` signs in
  through the form and waits for the signed-in shell.
- `sign_in(page, user, screen="home", access_expired=False)`: put tokens for `user` straight into the
  page's storage and open home
  (no login call: use it when login is not what the test is about; loopback shares one per-address
  login budget across the whole suite).
Plain helpers in `tests/e2e/helpers.py`:
- `wait_for_service_worker(page)`: waits until a service worker controls the page (the shell is
  then precached, so it reloads offline).
- `outbox_count(page)`: the pending-writes badge as an int.
- `api_json(page, path)`: GET an API path with the page's token, from inside the page.

Traps (see ../shared/RECIPES.md): `wait_for_function` does not await a Promise the predicate
returns; `context.set_offline(True)` also cuts the service worker's network; Chrome refuses ports
5060/5061.
"""

import shutil
import tempfile

import pytest
from playwright.sync_api import sync_playwright

from tests import builders
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "coalhaul123"


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replace pytest-flask's hook: it expects `live_server.app`, but ours is the server's URL."""
    yield


@pytest.fixture(scope="session")
def playwright_driver():
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    """One headless Chromium for tests that need ordinary (incognito-like) contexts."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def pixel7_context(playwright_driver, live_server):
    """Factory: a persistent Pixel 7 context on a fresh profile, closed (and deleted) after the test."""
    opened = []

    def make(**overrides):
        device = dict(playwright_driver.devices["Pixel 7"])
        device.pop("default_browser_type", None)
        profile = tempfile.mkdtemp(prefix="coalhaul-e2e-")
        options = dict(
            device,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            base_url=live_server,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        options.update(overrides)
        context = playwright_driver.chromium.launch_persistent_context(profile, **options)
        context.set_default_timeout(15000)
        opened.append((context, profile))
        return context

    yield make
    for context, profile in opened:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def pixel7_page(pixel7_context):
    context = pixel7_context()
    return context.pages[0] if context.pages else context.new_page()


@pytest.fixture
def make_account(app):
    """Factory: a fresh user with a random phone and the builders' password."""

    def make(role, *, org_id=None, mine_id=None, name=None):
        with app.app_context():
            return builders.make_user(role, org_id=org_id, mine_id=mine_id, name=name)

    return make


@pytest.fixture
def make_organisation(app):
    """Factory: a fresh organisation of a kind ("carrier", "shipper"); returns its id."""

    def make(kind):
        with app.app_context():
            return builders.make_org(kind).org_id

    return make


def tokens_for(app, user, *, access_expired=False):
    """The login reply's shape (tokens + public user) minted without calling /api/auth/login."""
    from datetime import timedelta

    from flask_jwt_extended import create_access_token, create_refresh_token

    from backend.auth import service as auth_service

    with app.app_context():
        claims = auth_service.token_claims(user)
        lifetime = timedelta(minutes=-5) if access_expired else None
        return {
            "access_token": create_access_token(
                identity=user.user_id, additional_claims=claims, expires_delta=lifetime
            ),
            "refresh_token": create_refresh_token(identity=user.user_id, additional_claims=claims),
            "user": auth_service.public_user(user),
        }


@pytest.fixture
def sign_in(app):
    """sign_in(page, user, screen='home', access_expired=False): store tokens in the page, open a screen."""

    def go(page, user, screen="home", *, access_expired=False):
        tokens = tokens_for(app, user, access_expired=access_expired)
        page.goto("/")
        page.evaluate(
            """(t) => { localStorage.setItem('ch.access', t.access_token);
            localStorage.setItem('ch.refresh', t.refresh_token);
            localStorage.setItem('ch.user', JSON.stringify(t.user)); }""",
            tokens,
        )
        page.goto(f"/#/{screen}")
        page.reload()
        page.locator("body[data-view='shell']").wait_for()

    return go


@pytest.fixture(name="login")
def login_fixture():
    """The form login helper, as a fixture for tests that prefer injection to imports."""
    return login

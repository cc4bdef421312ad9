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
- `sign_in(page, user, screen="home", access_expired=False)`: give the page `user`'s session as the app keeps
  it (the HttpOnly refresh cookie, minted server-side, and the public profile in localStorage; the app
  gets its in-memory access token from the cookie) and open a screen (no login call: use it when login
  is not what the test is about). `put_session(page, app, user, base_url)` does the first half.
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
import urllib.parse

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


# A browser test that fails is run once more before it counts (pytest-rerunfailures): on a loaded 2-core CI
# machine a page can miss a 15 s wait, and each full run met one such miss in a different test. A real defect
# fails both tries; a rerun is still printed ("R" in the progress line, "N rerun" in the summary) to be looked at.
E2E_RERUNS = 1


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.flaky(reruns=E2E_RERUNS, reruns_delay=2))


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


def tokens_for(app, user):
    """A sign-in minted without calling /api/auth/login: (the reply the page keeps, the refresh cookie's value)."""
    from backend.auth import service as auth_service
    from backend.common.clock import now_ms

    with app.app_context():
        reply, refresh_token = auth_service.issue_tokens(user, now_ms=now_ms())
        return {"access_token": reply["access_token"], "user": auth_service.public_user(user)}, refresh_token


def expired_access_token(app, user):
    """An access token for `user` that expired five minutes ago."""
    from datetime import timedelta

    from flask_jwt_extended import create_access_token

    from backend.auth import service as auth_service

    with app.app_context():
        claims = auth_service.token_claims(user)
        return create_access_token(identity=user.user_id, additional_claims=claims, expires_delta=timedelta(minutes=-5))


def put_session(page, app, user, base_url, *, extra_storage=None):
    """Sign `user` in on `page` the way the app keeps a session: the HttpOnly refresh cookie on /api/auth
    (the app trades it for an access token it holds in memory) and the public profile in localStorage."""
    reply, refresh_token = tokens_for(app, user)
    page.context.add_cookies(
        [
            {
                "name": "ch_refresh",
                "value": refresh_token,
                # As the server sets it: host-only on the app's host, path /api/auth (a `url` would give the
                # path "/api/auth/", a second cookie beside the server's rotated one).
                "domain": urllib.parse.urlsplit(base_url).hostname,
                "path": "/api/auth",
                "httpOnly": True,
                "sameSite": "Strict",
            }
        ]
    )
    page.goto("/")
    page.evaluate(
        """([who, extra]) => { localStorage.setItem('ch.user', JSON.stringify(who));
        Object.entries(extra).forEach(([k, v]) => localStorage.setItem(k, v)); }""",
        [reply["user"], extra_storage or {}],
    )


@pytest.fixture
def sign_in(app, live_server):
    """sign_in(page, user, screen='home', access_expired=False): a session cookie for `user`, then the screen.

    With access_expired the page holds an expired access token when it opens the screen (the API client must
    refresh it from the cookie and retry)."""

    def go(page, user, screen="home", *, access_expired=False):
        put_session(page, app, user, live_server)
        page.goto("/#/home" if access_expired else f"/#/{screen}")
        page.reload()
        page.locator("body[data-view='shell']").wait_for()
        if access_expired:
            page.evaluate(
                "(token) => import('/lib/session.js').then((s) => s.save({access_token: token}))",
                expired_access_token(app, user),
            )
            page.evaluate("(id) => { location.hash = '#/' + id; }", screen)

    return go


@pytest.fixture(name="login")
def login_fixture():
    """The form login helper, as a fixture for tests that prefer injection to imports."""
    return login

"""The PWA shell on an emulated Pixel 7: installable, signs in, works offline, queues writes."""

import pytest

from tests import builders
from tests.e2e.helpers import api_json, login, outbox_count, outbox_replayed, wait_for_service_worker

pytestmark = pytest.mark.e2e


def cdp(page, method, params=None):
    session = page.context.new_cdp_session(page)
    try:
        return session.send(method, params or {})
    finally:
        session.detach()


def test_the_app_is_installable(pixel7_page):
    page = pixel7_page
    page.goto("/")
    wait_for_service_worker(page)
    manifest = cdp(page, "Page.getAppManifest")
    assert manifest["errors"] == []
    parsed = page.evaluate("(url) => fetch(url).then((r) => r.json())", "/manifest.webmanifest")
    assert parsed["short_name"] == "煤运通" and parsed["start_url"] == "/?source=pwa"
    assert cdp(page, "Page.getInstallabilityErrors")["installabilityErrors"] == []


def test_a_driver_signs_in_and_sees_their_home(pixel7_page, make_account):
    driver = make_account("driver", name="司机 测试甲")
    page = pixel7_page
    page.goto("/")
    login(page, driver.phone)
    assert page.locator(".user-name").inner_text() == "司机 测试甲"
    assert page.locator(".user-role").inner_text() == "司机"
    page.get_by_role("button", name="English").click()
    assert page.locator(".user-role").inner_text() == "Driver"


def test_a_wrong_password_shows_the_servers_message(pixel7_page, make_account):
    driver = make_account("driver")
    page = pixel7_page
    page.goto("/")
    page.get_by_label("手机号").fill(driver.phone)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    alert = page.locator(".login .form-error")
    alert.wait_for()
    assert alert.inner_text().strip()
    assert page.locator("body[data-view='login']").count() == 1


def test_the_shell_reloads_offline_after_one_visit(pixel7_page, make_account, sign_in):
    driver = make_account("driver", name="司机 离线")
    page = pixel7_page
    sign_in(page, driver)
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.reload()
    page.locator(".user-name").wait_for()
    assert page.locator(".user-name").inner_text() == "司机 离线"
    assert page.locator(".conn").get_attribute("data-online") == "false"


def test_a_vehicle_added_offline_is_queued_then_delivered_once(pixel7_page, make_account, make_organisation, sign_in):
    carrier = make_account("carrier", org_id=make_organisation("carrier"))
    plate = builders.random_plate()
    page = pixel7_page
    sign_in(page, carrier, screen="fleet")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.get_by_label("车牌号").fill(plate)
    page.get_by_role("button", name="保存").click()
    page.locator(".badge.pending[data-count='1']").wait_for()
    assert outbox_count(page) == 1
    page.locator(f".vehicle[data-plate='{plate}'] .pending-tag").wait_for()  # listed as pending meanwhile

    page.context.set_offline(False)
    page.locator(".badge.pending[data-count='0']").wait_for(state="attached")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # a second replay trigger must not duplicate
    outbox_replayed(page)
    vehicles = api_json(page, "/api/fleet/vehicles?limit=100")["items"]
    assert [v["plate"] for v in vehicles].count(plate) == 1
    assert outbox_count(page) == 0


def test_an_update_waiting_shows_the_reload_prompt(pixel7_page, make_account, sign_in):
    page = pixel7_page
    sign_in(page, make_account("buyer"))
    wait_for_service_worker(page)
    # A new script URL for the same scope is an update the page did not ask for: it installs and waits.
    page.evaluate("() => navigator.serviceWorker.register('/sw.js?next=1', {scope: '/'})")
    prompt = page.locator(".update-prompt")
    prompt.wait_for()
    assert "有新版本" in prompt.inner_text()
    prompt.get_by_role("button", name="重新加载").click()
    page.wait_for_function("() => navigator.serviceWorker.controller.scriptURL.endsWith('?next=1')")
    page.locator("body[data-view='shell']").wait_for()


def test_an_expired_access_token_is_refreshed_and_the_read_retried(
    pixel7_page, make_account, make_organisation, sign_in, app
):
    carrier = make_account("carrier", org_id=make_organisation("carrier"))
    with app.app_context():
        vehicle = builders.make_vehicle(carrier.org_id)
    page = pixel7_page
    sign_in(page, carrier, screen="fleet", access_expired=True)
    page.locator(f".vehicle[data-plate='{vehicle.plate}']").wait_for()
    assert page.locator("body[data-view='shell']").count() == 1


def test_signing_out_revokes_the_refresh_token(pixel7_page, make_account, sign_in):
    page = pixel7_page
    sign_in(page, make_account("shipper"))
    assert page.evaluate("() => document.cookie") == ""  # the refresh token is out of script's reach
    cookie = next(c for c in page.context.cookies() if c["name"] == "ch_refresh")
    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("手机号").wait_for()
    assert not [c for c in page.context.cookies() if c["name"] == "ch_refresh"]  # the server deleted it
    page.context.add_cookies([cookie])  # kept by a thief: revoked all the same
    status = page.evaluate(
        """() => fetch('/api/auth/refresh', {method: 'POST',
        headers: {'X-Requested-With': 'coalhaul'}}).then((r) => r.status)"""
    )
    assert status == 401


@pytest.mark.parametrize("role, screen", [(None, None), ("driver", "home"), ("carrier", "fleet")])
def test_screens_fit_a_360px_phone(pixel7_context, make_account, make_organisation, sign_in, role, screen):
    page = pixel7_context(viewport={"width": 360, "height": 740}).new_page()
    if role is None:
        page.goto("/")
        page.get_by_label("手机号").wait_for()
    else:
        org_id = make_organisation("carrier") if role == "carrier" else None
        sign_in(page, make_account(role, org_id=org_id), screen=screen)
        page.locator(f"main[data-screen='{screen}']").wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


COLLECT_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.mark.parametrize(
    ("role", "screens"),
    [
        ("driver", ["home"]),
        ("carrier", ["home"]),
        ("shipper", ["home", "track"]),
        ("buyer", ["home"]),
        ("gate", ["home"]),
        ("dispatcher", ["home", "livemap"]),
        ("admin", ["home"]),
    ],
)
def test_no_content_security_policy_violation_on_a_roles_screens(
    pixel7_page, make_account, make_organisation, sign_in, role, screens
):
    orgs = {"driver": "carrier", "carrier": "carrier", "shipper": "shipper"}
    org_id = make_organisation(orgs[role]) if role in orgs else None
    user = make_account(role, org_id=org_id, mine_id="mine_hll" if role == "gate" else None)
    page = pixel7_page
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(COLLECT_CSP_VIOLATIONS)
    for screen in screens:
        sign_in(page, user, screen=screen)
        if screen == "home":
            page.locator(".user-name").wait_for()
        if screen == "livemap":
            page.locator(".leaflet-container").wait_for()  # Leaflet styles its panes under the policy
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("() => window.__cspViolations")
        assert violations == [], (screen, violations)
    assert not [text for text in console if "Content Security Policy" in text]
    assert "script-src 'self'" in page.evaluate(
        "() => fetch('/').then((r) => r.headers.get('content-security-policy'))"
    )

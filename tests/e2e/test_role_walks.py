"""Each role walks all its screens on a 360 px and a 412 px phone in zh-CN: every screen speaks the user's words
(no raw id, epoch time, English server message, raw state, latin unit or untranslated key) and fits the width.

One Chromium for the module, one page per walk; screenshots of every screen go to build/screenshots/ (gitignored)
for people to look at. test_every_screen.py opens each screen on its own at 360 px for crashes and errors; this
walk checks the words at both widths and collects every finding of a role before failing, so one run shows them all.
"""

from pathlib import Path

import pytest

from tests.e2e.screen_walk import (
    DEMO_USER_BY_ROLE,
    SCREENS,
    launch,
    open_role,
    overflow,
    screen_text,
    visible_errors,
    words_problems,
)

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
WIDTHS = (360, 412)


@pytest.fixture(scope="module")
def browser(playwright_driver):
    started = launch(playwright_driver)
    yield started
    started.close()


def check(page, width, shot):
    """A screenshot for people, and what the screen shows that is not in the user's words or does not fit."""
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    found = [f"error shown: {text!r}" for text in visible_errors(page)] + words_problems(screen_text(page))
    wide = overflow(page)
    if wide["width"] > width + 1:
        found.append(f"overflows to {wide['width']} px: {wide['wide']}")
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", sorted(DEMO_USER_BY_ROLE))
def test_a_role_walks_its_screens_in_its_own_words(app, live_server, playwright_driver, browser, role, width):
    walker = open_role(browser, app, live_server, playwright_driver, role, width)
    page = walker.page
    SHOTS.mkdir(parents=True, exist_ok=True)
    findings = []
    try:
        screens = ["home"] + [screen for who, screen in SCREENS if who == role and screen != "home"]
        for screen in screens:
            walker.open(screen)
            findings += [f"{screen}: {what}" for what in check(page, width, f"{role}-{width}-{screen}")]
            # An alert's evidence is where the model's key names used to show: open the first one too.
            if page.locator("main#screen .alert-row").count():
                page.locator("main#screen .alert-row").first.click()
                page.locator("main#screen .alert-detail").wait_for()
                walker.settle()
                findings += [
                    f"{screen} detail: {what}" for what in check(page, width, f"{role}-{width}-{screen}-detail")
                ]
    finally:
        page.context.close()
    assert len(screens) > 1  # the registry gave this role screens to walk
    assert findings == [], "\n".join(findings)


def test_a_refused_field_is_named_as_the_form_names_it(app, live_server, playwright_driver, browser):
    """The server's 'tonnage_kg: one truckload is 10000–49000 kg' reaches a zh-CN buyer in the form's words and unit."""
    walker = open_role(browser, app, live_server, playwright_driver, "buyer")
    try:
        replies = walker.page.evaluate(
            """async () => { const { api } = await import('/lib/api.js');
            const ask = (body) => api.send('POST', '/api/orders/quote', body).then(() => null,
                (err) => ({ message: err.message, fields: err.fieldErrors, server: err.serverMessage }));
            const place = { address: '榆林市榆阳区', point: { type: 'Point', coordinates: [109.73, 38.28] } };
            return [await ask({ mine_id: 'mine_hll', product_id: 'raw', tonnage_kg: 60000, destination: place }),
                    await ask({ mine_id: 'mine_hll', product_id: 'raw', tonnage_kg: 'x' })]; }"""
        )
    finally:
        walker.page.context.close()
    too_heavy, malformed = replies
    assert "10000–49000 kg" in too_heavy["server"]  # what the server said, for developers
    assert too_heavy["message"] == "吨数应在 10–49 吨之间" and too_heavy["fields"] == {
        "tonnage_kg": "吨数应在 10–49 吨之间"
    }
    assert malformed["fields"] == {"tonnage_kg": "吨数请填数字", "destination": "卸货地点必须填写"}
    assert malformed["message"] in ("吨数请填数字；卸货地点必须填写", "卸货地点必须填写；吨数请填数字")

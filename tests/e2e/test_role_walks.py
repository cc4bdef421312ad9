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
            page.screenshot(path=str(SHOTS / f"{role}-{width}-{screen}.png"))
            found = [f"error shown: {text!r}" for text in visible_errors(page)] + words_problems(screen_text(page))
            wide = overflow(page)
            if wide["width"] > width + 1:
                found.append(f"overflows to {wide['width']} px: {wide['wide']}")
            findings += [f"{screen}: {what}" for what in found]
    finally:
        page.context.close()
    assert len(screens) > 1  # the registry gave this role screens to walk
    assert findings == [], "\n".join(findings)

"""Every screen a demo user can reach opens cleanly on a 360 px phone: no crash, no error, no raw values.

One signed-in page per role (tokens put straight into storage, no login call); each test moves that page
to a screen the way the app does (the hash route) and waits for its requests to settle.
"""

import re

import pytest

from tests.e2e.screen_walk import (
    DEMO_USER_BY_ROLE,
    INTERNAL_ID,
    PHONE_WIDTH,
    RAW_VALUE,
    SCREENS,
    control_values,
    launch,
    open_role,
    raw_keys,
    screen_text,
    visible_errors,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def role_page(app, live_server, playwright_driver):
    """role_page(role): that role's demo user, signed in on a 360 px Pixel 7 page (one page per role)."""
    browser = launch(playwright_driver)
    pages = {}

    def get(role):
        if role not in pages:
            pages[role] = open_role(browser, app, live_server, playwright_driver, role)
        return pages[role]

    yield get
    browser.close()


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
    assert visible_errors(page) == []
    text = screen_text(page)
    for shown in (text, control_values(page)):
        assert not RAW_VALUE.search(shown), RAW_VALUE.search(shown).group(0) + " in:\n" + shown
    assert raw_keys(text) == [], text
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
        assert raw_keys(text) == [], text
        assert "role." not in text
        tiles = page.locator("main#screen .tile").all_inner_texts()
        assert all(re.search(r"[A-Za-z]", tile) for tile in tiles), tiles
    finally:
        page.get_by_role("button", name="中文").click()
        page.get_by_role("button", name="English").wait_for()

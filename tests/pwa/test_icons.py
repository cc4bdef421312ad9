"""Screen icons are SVG drawings (emoji render as boxes on many phones sold in China): every icon the screen
registry names has a drawing, and the home tiles and the bottom bar draw them."""

import re
from pathlib import Path

PWA = Path(__file__).resolve().parents[2] / "pwa"


def test_every_registry_icon_has_a_drawing():
    registry = (PWA / "lib" / "screens.js").read_text()
    icons = (PWA / "ui" / "icons.js").read_text()
    named = set(re.findall(r"icon: '([^']+)'", registry))
    mapped = set(re.findall(r"'([^'\w\s]+)': '[a-z]+'", icons))
    assert named and named - mapped == set(), "draw these in pwa/ui/icons.js (BY_EMOJI)"
    drawings = set(re.findall(r"^  ([a-z]+): \[", icons, re.MULTILINE))
    assert set(re.findall(r"'[^'\w\s]+': '([a-z]+)'", icons)) <= drawings


def test_tiles_and_the_bottom_bar_draw_svg_not_text():
    for screen in (PWA / "app.js", PWA / "roles" / "common" / "home.js"):
        source = screen.read_text()
        assert "icon(s.icon)" in source and ", s.icon)" not in source, screen

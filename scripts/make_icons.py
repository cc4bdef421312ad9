"""Draw the PWA icons (a coal lump on a truck-road stripe) as PNGs with the standard library only.

Run: python scripts/make_icons.py  -> pwa/icons/icon-192.png, icon-512.png, maskable-512.png
"""

import math
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pwa", "icons")
BRAND = (31, 45, 61)  # the manifest's theme colour
COAL = (20, 20, 22)
GLINT = (90, 98, 110)
ROAD = (179, 71, 15)  # the accent colour
PAPER = (244, 241, 234)


def _png(width, height, rows):
    """Encode RGB rows (lists of (r, g, b)) as a PNG file's bytes."""
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _inside_lump(x, y):
    # A hexagon-ish lump: a polygon in unit coordinates centred on (0.5, 0.45).
    points = [(0.30, 0.50), (0.38, 0.30), (0.58, 0.24), (0.72, 0.38), (0.70, 0.58), (0.48, 0.64)]
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _pixel(u, v, *, safe_scale, rounded):
    """Colour at unit coordinates (u, v); safe_scale < 1 shrinks the art into the maskable safe zone."""
    if rounded and math.hypot(max(abs(u - 0.5) - 0.32, 0), max(abs(v - 0.5) - 0.32, 0)) > 0.18:
        return PAPER
    su, sv = (u - 0.5) / safe_scale + 0.5, (v - 0.5) / safe_scale + 0.5
    if _inside_lump(su, sv):
        return GLINT if (su - sv) > 0.16 and _inside_lump(su - 0.05, sv + 0.05) else COAL
    if 0.72 < sv < 0.80 and 0.18 < su < 0.82:
        return ROAD
    return BRAND


def draw(size, *, maskable):
    """One icon; the maskable variant fills the square and keeps the art inside the 80 % safe circle."""
    scale = 0.7 if maskable else 1.0
    return _png(
        size,
        size,
        [
            [_pixel((x + 0.5) / size, (y + 0.5) / size, safe_scale=scale, rounded=not maskable) for x in range(size)]
            for y in range(size)
        ],
    )


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, size, maskable in (
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("maskable-512.png", 512, True),
    ):
        with open(os.path.join(OUT, name), "wb") as handle:
            handle.write(draw(size, maskable=maskable))
        print("wrote", name)


if __name__ == "__main__":
    main()

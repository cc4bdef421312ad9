"""Small pure-Python geometry on WGS-84 [lon, lat]: distances, fences and corridors (no shapely on the hot path)."""

import math

from backend.common.geo import EARTH_RADIUS_M, haversine_m


def _ring_contains(ring, lon, lat):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def in_polygon(polygon, point):
    """True when a [lon, lat] point lies inside a GeoJSON Polygon (holes honoured) or MultiPolygon."""
    if not polygon:
        return False
    lon, lat = point[0], point[1]
    polys = polygon["coordinates"] if polygon.get("type") == "MultiPolygon" else [polygon["coordinates"]]
    for rings in polys:
        if rings and _ring_contains(rings[0], lon, lat) and not any(_ring_contains(h, lon, lat) for h in rings[1:]):
            return True
    return False


def _local_xy(origin_lat):
    # An equirectangular projection is accurate to well under 1 % over a trip's few hundred km.
    kx = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(origin_lat))
    ky = math.radians(1) * EARTH_RADIUS_M
    return lambda p: (p[0] * kx, p[1] * ky)


def project_on_line(line, point):
    """(distance in m from point to the polyline, metres along the line to the nearest spot)."""
    xy = _local_xy(point[1])
    px, py = xy(point)
    best, along_best, along = (math.inf, 0.0, 0.0)
    for a, b in zip(line, line[1:]):
        (ax, ay), (bx, by) = xy(a), xy(b)
        dx, dy = bx - ax, by - ay
        seg = math.hypot(dx, dy)
        t = 0.0 if seg == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (seg * seg)))
        d = math.hypot(px - (ax + t * dx), py - (ay + t * dy))
        if d < best:
            best, along_best = d, along + t * seg
        along += seg
    if len(line) == 1:
        return haversine_m(line[0], point), 0.0
    return best, along_best


def line_length_m(line):
    """Length of a polyline in metres."""
    return sum(haversine_m(a, b) for a, b in zip(line, line[1:]))


def polygon_centroid(polygon):
    """The mean vertex of a polygon's outer ring: good enough to aim an ETA at."""
    ring = polygon["coordinates"][0][:-1] or polygon["coordinates"][0]
    return [sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)]

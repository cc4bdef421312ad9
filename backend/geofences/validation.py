"""RFC 7946 polygon validation whose errors say exactly what is wrong (and where)."""

import math

from backend.common.errors import field_error

MIN_AREA_M2 = 100
MAX_AREA_M2 = 50_000_000  # 50 km²: larger than any mine yard or delivery site
MAX_POSITIONS = 2000
_M_PER_DEG_LAT = 110_540


def _fail(message, field="geometry"):
    raise field_error(field, message, code="invalid_geometry")


def _check_position(position, where):
    if not isinstance(position, (list, tuple)) or len(position) not in (2, 3):
        _fail(f"{where}: a position is [longitude, latitude] (optionally altitude)")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in position):
        _fail(f"{where}: coordinates must be finite numbers")
    lon, lat = position[0], position[1]
    if not -180 <= lon <= 180:
        _fail(f"{where}: longitude {lon} is outside WGS-84 [-180, 180] (is the order [lon, lat]?)")
    if not -90 <= lat <= 90:
        _fail(f"{where}: latitude {lat} is outside WGS-84 [-90, 90] (is the order [lon, lat]?)")


def _check_ring(ring, index):
    name = "exterior ring" if index == 0 else f"hole {index}"
    if not isinstance(ring, list):
        _fail(f"{name}: a ring is a list of positions")
    if len(ring) < 4:
        _fail(f"{name}: a linear ring needs at least 4 positions (3 corners and the closing one), got {len(ring)}")
    for i, position in enumerate(ring):
        _check_position(position, f"{name}, position {i}")
    if list(ring[0][:2]) != list(ring[-1][:2]):
        _fail(f"{name}: not closed — the last position must equal the first")


def local_metres(ring, lat0):
    """A ring projected to metres around latitude lat0 (equirectangular: exact enough below ~50 km)."""
    kx = 111_320 * math.cos(math.radians(lat0))
    return [(p[0] * kx, p[1] * _M_PER_DEG_LAT) for p in ring]


def validate_polygon(geometry):
    """Check a GeoJSON Polygon; return (shapely polygon in degrees, area in m²) or raise a field error."""
    from shapely.geometry import Polygon
    from shapely.validation import explain_validity

    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        _fail('must be a GeoJSON object with type "Polygon"')
    rings = geometry.get("coordinates")
    if not isinstance(rings, list) or not rings:
        _fail("coordinates must be a non-empty list of linear rings")
    if sum(len(r) if isinstance(r, list) else 0 for r in rings) > MAX_POSITIONS:
        _fail(f"too many positions (at most {MAX_POSITIONS})")
    for index, ring in enumerate(rings):
        _check_ring(ring, index)
    polygon = Polygon([p[:2] for p in rings[0]], [[p[:2] for p in hole] for hole in rings[1:]])
    if not polygon.is_valid:
        _fail(f"not a valid polygon: {explain_validity(polygon)}")
    lat0 = polygon.centroid.y
    metric = Polygon(local_metres(rings[0], lat0), [local_metres(h, lat0) for h in rings[1:]])
    area = metric.area
    if area < MIN_AREA_M2:
        _fail(f"area {area:.0f} m² is smaller than {MIN_AREA_M2} m²: check the coordinates")
    if area > MAX_AREA_M2:
        _fail(f"area {area / 1e6:.1f} km² is larger than {MAX_AREA_M2 / 1e6:.0f} km²: check the coordinates")
    return polygon, int(round(area))

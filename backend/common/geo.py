"""Great-circle distance on WGS-84 [lon, lat] points: the one haversine every domain uses."""

import math

# IUGG mean Earth radius (R1 = (2a + b) / 3 of WGS-84). Tracking, quotes and the fake-plate model's
# features were already computed with it (the committed model was trained on them); 6,371,000 differs by 1.4 ppm.
EARTH_RADIUS_M = 6_371_008.8


def haversine_m(a, b):
    """Great-circle distance in metres between two [lon, lat] points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))  # rounding can push h a hair above 1

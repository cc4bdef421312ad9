"""Tiny helpers to draw demo polygons in metres around a point."""

import math


def rectangle(center_lon, center_lat, width_m, height_m):
    """A closed GeoJSON Polygon (counter-clockwise, [lon, lat]) of width × height metres."""
    dlon = width_m / 2 / (111320 * math.cos(math.radians(center_lat)))
    dlat = height_m / 2 / 110540
    ring = [
        [center_lon - dlon, center_lat - dlat],
        [center_lon + dlon, center_lat - dlat],
        [center_lon + dlon, center_lat + dlat],
        [center_lon - dlon, center_lat + dlat],
        [center_lon - dlon, center_lat - dlat],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def offset(lon, lat, east_m, north_m):
    """The point east_m / north_m metres from (lon, lat)."""
    return (lon + east_m / (111320 * math.cos(math.radians(lat))), lat + north_m / 110540)

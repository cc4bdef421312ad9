"""A site's rules checked on plain values before anything is written (no DynamoDB): one 400 naming the field."""

from backend.common.errors import ApiError, field_error
from backend.geofences.validation import local_metres, validate_polygon

FENCES = ("gate_fence", "parking_fence")
# How far the gate point may lie from its gate fence: a typo'd coordinate lands kilometres away.
MAX_GATE_TO_FENCE_M = 2000


def _unique(items, field):
    seen = set()
    for index, item in enumerate(items):
        if item["id"] in seen:
            raise field_error(f"{field}[{index}].id", f"{item['id']} is listed twice")
        seen.add(item["id"])


def _check_fence(field, geometry):
    """The polygon (shapely) of a fence, or a 400 naming the fence (the geofences domain's own checks)."""
    try:
        polygon, _ = validate_polygon(geometry)
    except ApiError as error:
        why = (error.details.get("fields") or {}).get("geometry", [error.message])[0]
        raise field_error(field, why, code="invalid_geometry") from None
    return polygon


def _check_location(location):
    lon, lat = location["coordinates"]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise field_error("location", "coordinates are [longitude, latitude] in WGS-84")


def _check_template(site):
    start = site.get("day_start_hour")
    end = site.get("day_end_hour")
    if start is not None and end is not None and end <= start:
        raise field_error("day_end_hour", f"must be after day_start_hour ({start})")
    minutes = site.get("window_minutes")
    if minutes and start is not None and end is not None and minutes > (end - start) * 60:
        raise field_error("window_minutes", "longer than the site's open day")


def _metres_outside(polygon, lonlat):
    """Metres from a point to a polygon (0 inside), in the local projection the fence checks use."""
    from shapely.geometry import Point, Polygon

    lon, lat = lonlat
    (x, y), ring = local_metres([(lon, lat)], lat)[0], local_metres(list(polygon.exterior.coords), lat)
    return Polygon(ring).distance(Point(x, y))


def check_site(site, *, template_defaults):
    """Check a whole site (a new one, or an existing one with a patch applied); the fences' polygons by name.

    `template_defaults` fills the slot template's unset hours and minutes (the SLOT_* settings) for the checks.
    """
    _check_location(site["location"])
    polygons = {field: _check_fence(field, site[field]) for field in FENCES}
    if _metres_outside(polygons["gate_fence"], site["location"]["coordinates"]) > MAX_GATE_TO_FENCE_M:
        raise field_error("location", f"more than {MAX_GATE_TO_FENCE_M} m from the gate fence: check the coordinates")
    _unique(site.get("lanes") or [], "lanes")  # records from before lanes have none until edited
    _unique(site.get("products") or [], "products")
    _check_template({k: site.get(k) if site.get(k) is not None else v for k, v in template_defaults.items()})
    return polygons


def merged(existing, patch):
    """An existing site's fields (a dict) with a patch applied; lanes and fences replace, products merge by id."""
    site = dict(existing)
    for key, value in patch.items():
        if key != "products":
            site[key] = value
    by_id = {p["id"]: p for p in existing.get("products") or []}
    for product in patch.get("products") or []:
        by_id[product["id"]] = {**by_id.get(product["id"], {}), **product}
    site["products"] = list(by_id.values())
    return site

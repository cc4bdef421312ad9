"""Places: search the gazetteer, a person's saved addresses, the county a picked place is in, the map's tiles."""

from backend.common.errors import Conflict, NotFound, field_error
from backend.common.ids import new_id
from backend.config import setting
from backend.places import gazetteer, store
from backend.places.models import SavedPlace

MAX_SAVED = 20  # a person's saved addresses: one Query reads them all
TIANDITU = "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk="  # noqa: E501
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def search(*, q, limit):
    """Gazetteer places matching the words, best first."""
    return gazetteer.search(q, limit)


def county_for(*, place_code=None):
    """{"county_code", "county_name"} of a picked gazetteer place, or {} when none was picked (the feed then
    derives it from the point); an unknown code is the caller's mistake."""
    if not place_code:
        return {}
    place = gazetteer.find(place_code)
    if place is None or not place["county_code"]:
        raise field_error("place_code", "not a place of the gazetteer")
    return {"county_code": place["county_code"], "county_name": gazetteer.county_name(place["county_code"])}


def list_saved(*, user_id):
    """A person's saved addresses, newest last."""
    return sorted(store.list_saved(user_id, MAX_SAVED), key=lambda p: p.created_at)


def save(*, user_id, label, address, point, place_code=None, now_ms):
    """Keep an address for next time (at most MAX_SAVED per person)."""
    lon, lat = point["coordinates"]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise field_error("point", "[longitude, latitude] in WGS-84")
    county = county_for(place_code=place_code)
    if len(store.list_saved(user_id, MAX_SAVED)) >= MAX_SAVED:
        raise Conflict("too_many_places", f"at most {MAX_SAVED} saved addresses", details={"limit": MAX_SAVED})
    place = SavedPlace(
        user_id,
        new_id("pl"),
        label=label,
        address=address,
        point=[lon, lat],
        place_code=place_code if county else None,
        created_at=now_ms,
        **county,
    )
    return store.save(place)


def delete(*, user_id, place_id):
    """Forget a saved address."""
    if not store.delete(user_id, place_id):
        raise NotFound("place_not_found", "no such saved address")


def map_config():
    """The tile layers the PWA draws under its own GeoJSON: none, OpenStreetMap or Tianditu (vector + labels)."""
    provider, key = setting("TILE_PROVIDER"), setting("TIANDITU_KEY")
    if provider == "tianditu" and key:
        layers = [TIANDITU.replace("{layer}", layer) + key for layer in ("vec", "cva")]
        return {"provider": "tianditu", "layers": layers, "subdomains": "01234567", "max_zoom": 18,
                "attribution": "© 天地图 Tianditu"}  # fmt: skip
    if provider == "osm":
        return {"provider": "osm", "layers": [OSM], "subdomains": "", "max_zoom": 19,
                "attribution": "© OpenStreetMap contributors"}  # fmt: skip
    return {"provider": "none", "layers": [], "subdomains": "", "max_zoom": 18, "attribution": ""}

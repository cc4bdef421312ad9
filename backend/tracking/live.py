"""The dispatcher's live map: vehicles on a trip inside a bounding box, or counts per cell when zoomed out.

The cost follows the box, not the fleet: counts come from one BatchGet of at most MAX_CELLS cell
records, and markers from one GSI Query per non-empty cell (each cell is a partition key).
"""

from concurrent.futures import ThreadPoolExecutor

from backend.common.errors import field_error
from backend.tracking import geohash, store

MAX_CELLS = 100  # one BatchGet
MAX_MARKERS = 1500  # beyond this the page gets clusters, not markers


def _parse_bbox(bbox):
    try:
        west, south, east, north = (float(v) for v in bbox.split(","))
    except (AttributeError, ValueError):
        raise field_error("bbox", "west,south,east,north in degrees") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise field_error("bbox", "west < east within ±180, south < north within ±90")
    return west, south, east, north


def _cluster(record, precision):
    cell = record.cell.split(":", 1)[1]
    west, south, east, north = geohash.bounds(cell)
    count = int(record.vehicles)
    lon, lat = record.sum_lon / count, record.sum_lat / count
    if not (west <= lon <= east and south <= lat <= north):  # sums drift as trucks move within a cell
        lon, lat = (west + east) / 2, (south + north) / 2
    return {"cell": cell, "precision": precision, "count": count, "lon": round(lon, 5), "lat": round(lat, 5)}


def _counts(box):
    """(precision, count records) at the finest level whose cells covering the box fit one BatchGet."""
    for precision in sorted(store.COUNT_PRECISIONS, reverse=True):
        cells = geohash.covering(*box, precision, MAX_CELLS)
        if cells is not None:
            return precision, store.cell_counts([f"{precision}:{c}" for c in cells])
    return None, []


def _marker(position):
    return {
        "vehicle_id": position.vehicle_id,
        "plate": position.plate,
        "waybill_id": position.waybill_id,
        "lon": position.lon,
        "lat": position.lat,
        "speed_kmh": position.speed_kmh,
        "at_ms": position.at_ms,
    }


def live_map(*, bbox):
    """Markers for the vehicles on a trip inside the box, or clusters with counts when there are too many."""
    box = _parse_bbox(bbox)
    precision, counts = _counts(box)
    total = sum(int(c.vehicles) for c in counts)
    if precision != store.LIVE_CELL_PRECISION or total > MAX_MARKERS:
        clusters = [_cluster(c, precision) for c in counts]
        return {"mode": "clusters", "total": total, "clusters": clusters, "vehicles": []}
    west, south, east, north = box
    cells = [record.cell.split(":", 1)[1] for record in counts]
    with ThreadPoolExecutor(max_workers=min(8, len(cells) or 1)) as pool:  # one Query per cell, side by side
        per_cell = list(pool.map(store.positions_in_cell, cells))
    vehicles = [_marker(p) for found in per_cell for p in found if west <= p.lon <= east and south <= p.lat <= north]
    return {"mode": "markers", "total": len(vehicles), "clusters": [], "vehicles": vehicles}

"""Fixes packed per vehicle-minute, each vehicle's latest position, live-map cell counts and per-waybill trips."""

from pynamodb.attributes import JSONAttribute, MapAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class FixMinute(Model):
    """A vehicle's GPS fixes in one minute, packed in one item: one write per vehicle-minute, not per fix.

    A minute keeps the item small (60 one-second fixes ~ 2 KB), so an append costs a few write units
    and a trip's track is a few hundred items; the map key (the fix time) is what de-duplicates replays.
    """

    class Meta:
        table_name = "fix_minutes"

    vehicle_id = UnicodeAttribute(hash_key=True)
    minute_ms = NumberAttribute(range_key=True)  # start of the minute (epoch ms)
    fixes = MapAttribute(null=True)  # "<at_ms>": "lon lat speed course accuracy source" (store.pack)
    expires_at = TTLAttribute()  # the minute's end + TRACK_RETENTION_DAYS


class PositionsByCell(GlobalSecondaryIndex):
    """Sparse: only vehicles on a trip carry a cell, so the live map never sees idle trucks."""

    class Meta:
        index_name = "by_cell"
        projection = AllProjection()

    cell = UnicodeAttribute(hash_key=True)  # geohash, LIVE_CELL_PRECISION characters
    vehicle_id = UnicodeAttribute(range_key=True)


class Position(Model):
    """The latest fix of a vehicle, and the waybill it is hauling (resolved once, then cached)."""

    class Meta:
        table_name = "positions"

    vehicle_id = UnicodeAttribute(hash_key=True)
    at_ms = NumberAttribute()
    lon = NumberAttribute()
    lat = NumberAttribute()
    speed_kmh = NumberAttribute(null=True)
    plate = UnicodeAttribute(null=True)
    waybill_id = UnicodeAttribute(null=True)
    resolved_at = NumberAttribute(null=True)  # when the waybill was last looked up
    cell = UnicodeAttribute(null=True)
    by_cell = PositionsByCell()


class CellCount(Model):
    """How many vehicles on a trip sit in a geohash cell (keys like "3:wqy"): the zoomed-out map."""

    class Meta:
        table_name = "position_cells"

    cell = UnicodeAttribute(hash_key=True)
    vehicles = NumberAttribute(default=0)
    sum_lon = NumberAttribute(default=0)
    sum_lat = NumberAttribute(default=0)


class Trip(Model):
    """A waybill on the road: where it is, how long until it arrives, what looks wrong."""

    class Meta:
        table_name = "trips"

    waybill_id = UnicodeAttribute(hash_key=True)
    vehicle_id = UnicodeAttribute()
    started_at = NumberAttribute()
    origin = JSONAttribute()  # [lon, lat] of the mine gate
    route = JSONAttribute(null=True)  # expected polyline [[lon, lat], ...]; else the straight line
    last_at = NumberAttribute(default=0)
    last_point = JSONAttribute(null=True)
    speeds = JSONAttribute(default=list)  # recent [at_ms, km/h] samples for the ETA
    off_route_since = NumberAttribute(null=True)
    stop_since = NumberAttribute(null=True)
    stop_point = JSONAttribute(null=True)
    alerts = JSONAttribute(default=list)  # [{kind, at_ms, point, detail}]
    remaining_m = NumberAttribute(null=True)
    eta_ms = NumberAttribute(null=True)
    ended_at = NumberAttribute(null=True)

"""Fences: GeoJSON polygons for mine check-in areas, parking lots and destinations."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class FencesByKind(GlobalSecondaryIndex):
    """Every fence of a kind: what the spatial index is built from (a Query, never a Scan)."""

    class Meta:
        index_name = "by_kind"
        projection = AllProjection()

    kind = UnicodeAttribute(hash_key=True)
    fence_id = UnicodeAttribute(range_key=True)


class FencesByMine(GlobalSecondaryIndex):
    """A mine's own fences (its gate and parking lot)."""

    class Meta:
        index_name = "by_mine"
        projection = AllProjection()

    mine_id = UnicodeAttribute(hash_key=True)
    fence_id = UnicodeAttribute(range_key=True)


class Fence(Model):
    """One polygon fence; `geometry` is an RFC 7946 Polygon in WGS-84 [lon, lat]."""

    class Meta:
        table_name = "fences"

    fence_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # gate | parking | destination
    name = UnicodeAttribute()
    mine_id = UnicodeAttribute(null=True)
    geometry = JSONAttribute()
    area_m2 = NumberAttribute()
    created_by = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    by_kind = FencesByKind()
    by_mine = FencesByMine()

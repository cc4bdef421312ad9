"""Aggregate items: one per (scope, period) with a number per KPI counter, and the stream's per-item marks."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.analytics.kpis import COUNTERS
from backend.common.table_model import Model


class ByDay(GlobalSecondaryIndex):
    """Sparse: every mine's (shipper's, carrier's, driver's) item of one day, for the themes' tables."""

    class Meta:
        index_name = "by_day"
        projection = AllProjection()

    kind_period = UnicodeAttribute(hash_key=True)  # "<kind>#d#YYYY-MM-DD"
    scope_key = UnicodeAttribute(range_key=True)


_fields = {name: NumberAttribute(null=True) for name in COUNTERS}
_fields.update(
    Meta=type("Meta", (), {"table_name": "analytics"}),
    __doc__="A scope's counters for a period: scope_key 'mine#<id>' | 'all' | ..., period 'd#<day>' | 'h#<hour>' | "
    "'live'; marks use scope_key 'mark#<table>#<item>' and hold the last applied stream sequence number; "
    "report listings use 'report#<kind>#<party>' (and 'report#all' for dispatch).",
    scope_key=UnicodeAttribute(hash_key=True),
    period=UnicodeAttribute(range_key=True),
    kind_period=UnicodeAttribute(null=True),
    seq=UnicodeAttribute(null=True),
    recomputed_at=NumberAttribute(null=True),
    report=JSONAttribute(null=True),  # report listings: {"cadence", "start", "end", "kind", "party", "totals", "files"}
    expires_at=TTLAttribute(null=True),  # marks only: a stream keeps records 24 h, a week of marks is plenty
    by_day=ByDay(),
)
Aggregate = type("Aggregate", (Model,), _fields)

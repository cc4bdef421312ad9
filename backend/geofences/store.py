"""Fences and the fence version that invalidates every container's cached spatial index."""

from pynamodb.exceptions import DoesNotExist

from backend.common.models import Counter
from backend.geofences.models import Fence

VERSION_KEY = "geofences#version"
KINDS = ("gate", "parking", "destination")


def get(fence_id):
    try:
        return Fence.get(fence_id)
    except DoesNotExist:
        return None


def save(fence):
    """Write a fence and bump the version so cached indexes rebuild."""
    fence.save()
    bump_version()
    return fence


def delete(fence):
    fence.delete()
    bump_version()


def bump_version():
    Counter(VERSION_KEY).update(actions=[Counter.hits.add(1)])


def version():
    """The current fence version (0 before the first fence)."""
    try:
        return Counter.get(VERSION_KEY, consistent_read=True).hits
    except DoesNotExist:
        return 0


def all_fences():
    """Every fence, kind by kind through the by_kind index (what the spatial index is built from)."""
    return [fence for kind in KINDS for fence in Fence.by_kind.query(kind)]


def mine_fences(mine_id):
    return list(Fence.by_mine.query(mine_id))


def list_page(kind, *, limit, last_evaluated_key):
    from backend.common.store import query_page

    query = lambda **kw: Fence.by_kind.query(kind, **kw)  # noqa: E731
    return query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)

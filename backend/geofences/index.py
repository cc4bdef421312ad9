"""A shapely STRtree over every fence, cached per container and rebuilt when the fence version moves.

Lambda keeps module state between invocations of a warm container, so the tree is built once and
reused; a cheap GetItem on the version (at most every CHECK_INTERVAL_MS) tells when to rebuild.
"""

import threading
from dataclasses import dataclass, field

from backend.geofences import store

CHECK_INTERVAL_MS = 2000
_lock = threading.Lock()


@dataclass
class FenceIndex:
    """Fences with their shapes and an STRtree over them."""

    fences: list = field(default_factory=list)  # dicts: fence_id, kind, mine_id, name
    shapes: list = field(default_factory=list)
    tree: object = None

    @classmethod
    def build(cls, fences):
        """Index fence records (anything with fence_id, kind, mine_id, name, geometry)."""
        from shapely import STRtree, prepare
        from shapely.geometry import shape

        shapes = [shape(f.geometry) for f in fences]
        for s in shapes:
            prepare(s)
        meta = [{"fence_id": f.fence_id, "kind": f.kind, "mine_id": f.mine_id, "name": f.name} for f in fences]
        return cls(meta, shapes, STRtree(shapes) if shapes else None)

    def containing(self, lon, lat):
        """Fences that contain (or touch) the point, via the tree's bounding boxes then exact tests."""
        if self.tree is None:
            return []
        from shapely.geometry import Point

        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        return [self.fences[i] for i in sorted(hits)]

    def containing_naive(self, lon, lat):
        """The same answer by testing every polygon (the benchmark's baseline)."""
        from shapely.geometry import Point

        point = Point(lon, lat)
        return [meta for meta, s in zip(self.fences, self.shapes) if s.intersects(point)]


_cache = {"version": None, "checked_at": -CHECK_INTERVAL_MS, "index": FenceIndex()}


def current(now_ms):
    """The container's index, rebuilt if another writer bumped the fence version."""
    if now_ms - _cache["checked_at"] < CHECK_INTERVAL_MS and _cache["version"] is not None:
        return _cache["index"]
    version = store.version()
    with _lock:
        if version != _cache["version"]:
            _cache["index"] = FenceIndex.build(store.all_fences())
            _cache["version"] = version
        _cache["checked_at"] = now_ms
    return _cache["index"]


def invalidate():
    """Forget the cached index (this container just wrote a fence)."""
    with _lock:
        _cache["version"] = None

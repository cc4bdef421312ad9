"""The cached spatial index answers like a loop over every polygon, and follows fence edits."""

import random

from backend.common.clock import now_ms
from backend.geofences import index, service
from backend.geofences.index import FenceIndex
from backend.seed.geo import offset, rectangle


class Admin:
    user_id, role, org_id, mine_id = "u_admin_test", "admin", None, None


class Record:
    def __init__(self, i, geometry):
        self.fence_id, self.kind, self.mine_id, self.name, self.geometry = (
            f"f{i}",
            "destination",
            None,
            str(i),
            geometry,
        )


def test_indexed_lookup_matches_the_naive_loop():
    rng = random.Random(7)
    fences = [
        Record(i, rectangle(109 + rng.random(), 38 + rng.random(), rng.randint(200, 3000), rng.randint(200, 3000)))
        for i in range(300)
    ]
    built = FenceIndex.build(fences)
    for _ in range(2000):
        lon, lat = 109 + rng.random(), 38 + rng.random()
        assert built.containing(lon, lat) == built.containing_naive(lon, lat)


def test_a_new_fence_is_found_and_a_deleted_one_is_forgotten(app):
    with app.app_context():
        center = offset(108.5, 37.5, random.randint(0, 50_000), random.randint(0, 50_000))
        fence = service.create(
            principal=Admin,
            kind="destination",
            name="砖厂卸货点",
            geometry=rectangle(*center, 300, 300),
            now_ms=now_ms(),
        )
        hits = service.fences_at(lon=center[0], lat=center[1], now_ms=now_ms())
        assert fence.fence_id in [h["fence_id"] for h in hits]
        service.delete(principal=Admin, fence_id=fence.fence_id)
        assert fence.fence_id not in [
            h["fence_id"] for h in service.fences_at(lon=center[0], lat=center[1], now_ms=now_ms())
        ]


def test_another_containers_edit_is_seen_through_the_version(app):
    with app.app_context():
        center = offset(108.2, 37.2, random.randint(0, 50_000), random.randint(0, 50_000))
        service.fences_at(lon=center[0], lat=center[1], now_ms=now_ms())  # warm this container's cache
        from backend.geofences import store
        from backend.geofences.models import Fence

        store.save(
            Fence(
                "fence_elsewhere_" + str(random.random())[2:],
                kind="destination",
                name="x",
                mine_id=None,
                geometry=rectangle(*center, 300, 300),
                area_m2=90_000,
                created_at=1,
                updated_at=1,
            )
        )
        later = now_ms() + index.CHECK_INTERVAL_MS + 1  # no local invalidate: only the version tells
        assert service.fences_at(lon=center[0], lat=center[1], now_ms=later)

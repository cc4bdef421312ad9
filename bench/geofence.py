"""1,000 fences, 100,000 fixes: the STRtree-indexed lookup against a naive loop over every polygon, same run.

    .venv/bin/python -m bench.geofence [--fences 1000] [--fixes 100000]

The naive loop is timed on a sample of the fixes (it is ~1,000 polygon tests per fix) and
scaled; both answers are compared on that sample.
"""

import argparse
import random
import time

from backend.geofences.index import FenceIndex
from backend.seed.geo import rectangle


class Record:
    def __init__(self, i, geometry):
        self.fence_id, self.kind, self.mine_id, self.name, self.geometry = (
            f"f{i}",
            "destination",
            None,
            str(i),
            geometry,
        )


def world(fences, fixes, seed=11):
    """Fences of 200 m–3 km scattered over ~2°×2° of northern Shaanxi, and uniformly random fixes."""
    rng = random.Random(seed)
    records = [
        Record(
            i, rectangle(109 + 2 * rng.random(), 38 + 2 * rng.random(), rng.randint(200, 3000), rng.randint(200, 3000))
        )
        for i in range(fences)
    ]
    points = [(109 + 2 * rng.random(), 38 + 2 * rng.random()) for _ in range(fixes)]
    return records, points


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fences", type=int, default=1000)
    parser.add_argument("--fixes", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=5000)
    args = parser.parse_args()
    records, points = world(args.fences, args.fixes)
    started = time.perf_counter()
    index = FenceIndex.build(records)
    build_s = time.perf_counter() - started

    started = time.perf_counter()
    hits = sum(len(index.containing(lon, lat)) for lon, lat in points)
    indexed_s = time.perf_counter() - started

    sample = points[: args.naive_sample]
    started = time.perf_counter()
    naive = [index.containing_naive(lon, lat) for lon, lat in sample]
    naive_sample_s = time.perf_counter() - started
    naive_s = naive_sample_s * len(points) / len(sample)
    assert naive == [index.containing(lon, lat) for lon, lat in sample], "index and loop disagree"

    print(f"fences={args.fences} fixes={args.fixes} hits={hits} index build={build_s * 1000:.0f} ms")
    print(
        f"indexed (STRtree):  {indexed_s:.2f} s  = {args.fixes / indexed_s:,.0f} fixes/s "
        f"({indexed_s / args.fixes * 1e6:.1f} µs/fix)"
    )
    print(
        f"naive loop:         {naive_s:.2f} s  = {args.fixes / naive_s:,.0f} fixes/s "
        f"(measured on {len(sample):,} fixes, same answers)"
    )
    print(f"speed-up: {naive_s / indexed_s:.0f}x")


if __name__ == "__main__":
    main()

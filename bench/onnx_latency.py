"""Single-row latency of the fake-plate model: ONNX Runtime vs native LightGBM predict.

Run from the repo root: ``.venv/bin/python bench/onnx_latency.py [--rows 2000]``.
Rows are real sightings from a fresh synthetic world (NaNs included), scored one at a
time, as the backend does per gate sighting.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402

from backend.risk import model as risk_model  # noqa: E402
from backend.risk.features import FEATURE_NAMES, compute_features, to_row  # noqa: E402
from ml_models.fake_plate.world import WorldConfig, generate_world  # noqa: E402

WARM_UP = 200


def sample_rows(n: int) -> list[np.ndarray]:
    """n single-row float32 matrices of real features."""
    world = generate_world(777, WorldConfig(n_trucks=600, days=2))
    rows = [to_row(compute_features(**r["inputs"])) for r in world.records[:n]]
    return [np.asarray([row], dtype=np.float32) for row in rows]


def timings_us(predict, rows: list[np.ndarray]) -> list[float]:
    """Per-call wall time of predict(row) in microseconds, after a warm-up."""
    for row in rows[:WARM_UP]:
        predict(row)
    out = []
    for row in rows:
        started = time.perf_counter_ns()
        predict(row)
        out.append((time.perf_counter_ns() - started) / 1000)
    return out


def percentiles(values: list[float]) -> tuple[float, float]:
    """(p50, p95) of values."""
    cuts = statistics.quantiles(values, n=100)
    return statistics.median(values), cuts[94]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    rows = sample_rows(parser.parse_args().rows)
    session = risk_model._session()
    meta = risk_model._meta()
    booster = lgb.Booster(model_file=str(risk_model.model_path().parent / "model.txt"))

    def onnx_predict(row):
        return session.run([meta["output_name"]], {meta["input_name"]: row})

    def native_predict(row):
        return booster.predict(row.astype(np.float64), num_threads=1)

    def as_features(row):
        return dict(zip(FEATURE_NAMES, row[0].tolist()))

    results = {
        "onnxruntime session.run": timings_us(onnx_predict, rows),
        "lightgbm Booster.predict": timings_us(native_predict, rows),
        "backend score(features)": timings_us(lambda row: risk_model.score(as_features(row)), rows),
        "backend strongest_signals(features)": timings_us(
            lambda row: risk_model.strongest_signals(as_features(row)), rows
        ),
    }
    print(f"{len(rows)} single-row predictions each")
    for name, values in results.items():
        p50, p95 = percentiles(values)
        print(f"{name:38s} p50 {p50:8.1f} µs   p95 {p95:8.1f} µs")
    onnx_p50 = percentiles(results["onnxruntime session.run"])[0]
    native_p50 = percentiles(results["lightgbm Booster.predict"])[0]
    print(f"native / ONNX p50 ratio: {native_p50 / onnx_p50:.1f}x")


if __name__ == "__main__":
    main()

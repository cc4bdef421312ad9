"""The committed ONNX model scores exactly like the native LightGBM booster it came from."""

import json
import math
import shutil
import subprocess
import sys

import lightgbm as lgb
import numpy as np
import onnx
import onnxruntime as ort
import pytest

from backend import config
from backend.risk import model as risk_model
from backend.risk.features import FEATURE_NAMES, to_row

MODEL_DIR = risk_model.DEFAULT_MODEL_PATH.parent
TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def rows(small_features):
    """Real rows (many with NaN already), plus rows blanked feature by feature."""
    real = np.asarray([to_row(f) for f in small_features[:3000]], dtype=np.float32)
    blanked = real[: len(FEATURE_NAMES)].copy()
    blanked[np.arange(len(FEATURE_NAMES)), np.arange(len(FEATURE_NAMES))] = np.nan
    all_nan = np.full((1, len(FEATURE_NAMES)), np.nan, dtype=np.float32)
    return np.vstack([real, blanked, all_nan])


@pytest.fixture(scope="module")
def native():
    return lgb.Booster(model_file=str(MODEL_DIR / "model.txt"))


@pytest.fixture()
def fresh_model_cache():
    risk_model.clear_cache()
    yield risk_model
    risk_model.clear_cache()


def test_rows_include_missing_values(rows):
    assert np.isnan(rows).any(axis=1).mean() > 0.5


def test_onnx_matches_native_booster(rows, native):
    session = ort.InferenceSession(str(MODEL_DIR / "model.onnx"), providers=["CPUExecutionProvider"])
    (proba,) = session.run(["probabilities"], {"features": rows})
    expected = native.predict(rows.astype(np.float64))
    assert np.abs(proba[:, 1] - expected).max() < TOLERANCE


def test_onnx_has_only_the_probability_output():
    proto = onnx.load(str(MODEL_DIR / "model.onnx"))
    assert [o.name for o in proto.graph.output] == ["probabilities"]
    assert 50_000 < (MODEL_DIR / "model.onnx").stat().st_size < 400_000


def test_meta_matches_the_feature_module():
    meta = json.loads((MODEL_DIR / "model_meta.json").read_text())
    assert meta["feature_names"] == FEATURE_NAMES
    assert 0 < meta["threshold"] < 1
    assert len(meta["reference_row"]) == len(FEATURE_NAMES)


def test_backend_score_matches_native(small_features, native, fresh_model_cache):
    for features in small_features[:200:7]:
        expected = native.predict(np.asarray([to_row(features)], dtype=np.float32).astype(np.float64))[0]
        assert fresh_model_cache.score(features) == pytest.approx(expected, abs=TOLERANCE)


def test_backend_keeps_one_session(fresh_model_cache, small_features):
    fresh_model_cache.score(small_features[0])
    first = fresh_model_cache._session()
    fresh_model_cache.score(small_features[1])
    assert fresh_model_cache._session() is first


def test_model_path_can_be_overridden(tmp_path, monkeypatch, fresh_model_cache, small_features):
    for name in ("model.onnx", "model_meta.json"):
        shutil.copy(MODEL_DIR / name, tmp_path / name)
    # Scoring outside an app reads the settings table parsed from the environment; override it there.
    monkeypatch.setitem(config.environment(), "FAKE_PLATE_MODEL_PATH", str(tmp_path / "model.onnx"))
    assert fresh_model_cache.model_path() == tmp_path / "model.onnx"
    assert 0 <= fresh_model_cache.score(small_features[0]) <= 1


def test_strongest_signals_name_the_evidence(fresh_model_cache, small_features):
    clone_like = dict(
        small_features[0],
        fix_distance_m=48_000.0,
        fix_age_s=300.0,
        fix_implied_speed_kmh=573.6,
        fix_excess_km=41.1,
        active_waybill_at_mine=0.0,
        tare_dev_registry_kg=math.nan,
    )
    assert fresh_model_cache.score(clone_like) >= fresh_model_cache.threshold()
    signals = fresh_model_cache.strongest_signals(clone_like, top=3)
    assert signals[0]["feature"].startswith("fix_")  # the registered truck's GPS says it is elsewhere
    assert len(signals) <= 3 and all(s["contribution"] > 0 for s in signals)
    assert "tare_dev_registry_kg" not in {s["feature"] for s in signals}  # missing ≠ evidence


def test_importing_the_scorer_loads_no_numpy():
    code = "import sys, backend.risk.model; assert 'numpy' not in sys.modules and 'onnxruntime' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(risk_model.REPO_ROOT))

"""Fake-plate risk scoring with the committed ONNX model, loaded lazily once per process.

numpy and onnxruntime are imported inside the functions that need them, so importing this
module costs nothing on a Lambda cold start; the first score pays ~150 ms once per container.
The model file is ``ml_models/fake_plate/model.onnx`` under the repo (or package) root, or
``$FAKE_PLATE_MODEL_PATH``; ``model_meta.json`` is read from the same directory.
"""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path

from backend.config import setting
from backend.risk.features import FEATURE_NAMES, to_row

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_PATH = REPO_ROOT / "ml_models" / "fake_plate" / "model.onnx"
META_FILE_NAME = "model_meta.json"

_cache: dict = {}  # "session", "meta": one of each per process
_lock = threading.Lock()


def model_path() -> Path:
    """Where the ONNX model is read from."""
    return Path(setting("FAKE_PLATE_MODEL_PATH") or DEFAULT_MODEL_PATH)


def _meta() -> dict:
    if "meta" not in _cache:
        meta = json.loads((model_path().parent / META_FILE_NAME).read_text())
        # The model was trained on one column order; scoring with another is silent garbage.
        if meta["feature_names"] != FEATURE_NAMES:
            raise RuntimeError("model_meta.json feature order differs from features.py")
        _cache["meta"] = meta
    return _cache["meta"]


def _session():
    if "session" not in _cache:
        with _lock:
            if "session" not in _cache:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.intra_op_num_threads = 1  # single rows: threads only add overhead
                _cache["session"] = ort.InferenceSession(
                    str(model_path()), sess_options=options, providers=["CPUExecutionProvider"]
                )
    return _cache["session"]


def clear_cache():
    """Forget the loaded session and metadata (tests; a new model file)."""
    _cache.clear()


def _score_rows(rows: list[list[float]]) -> list[float]:
    import numpy as np

    meta = _meta()
    (proba,) = _session().run([meta["output_name"]], {meta["input_name"]: np.asarray(rows, dtype=np.float32)})
    return [float(p) for p in proba[:, meta["positive_class_column"]]]


def score(features: dict) -> float:
    """Clone probability (0–1) of one sighting's features (from compute_features)."""
    return _score_rows([to_row(features)])[0]


def threshold() -> float:
    """The score at or above which a sighting raises an alert and holds the waybill."""
    return float(_meta()["threshold"])


def _nan_to_none(value: float) -> float | None:
    return None if math.isnan(value) else value


def strongest_signals(features: dict, top: int = 3) -> list[dict]:
    """The features that raised the score most, each with its value and a typical value.

    A feature's contribution is how much the score falls when that feature alone is set
    to its value in a typical legitimate sighting (the training median stored in
    model_meta.json): a what-if, not SHAP, but exact for this model and cheap (one batch).
    Features with missing values are never offered.
    """
    row = to_row(features)
    reference = [math.nan if v is None else v for v in _meta()["reference_row"]]
    # A missing value is an absence of evidence, not a signal to show gate staff.
    changed = [i for i, (v, r) in enumerate(zip(row, reference)) if not math.isnan(v) and v != r]
    what_ifs = [row[:i] + [reference[i]] + row[i + 1 :] for i in changed]
    scores = _score_rows([row] + what_ifs)
    signals = [
        {
            "feature": FEATURE_NAMES[i],
            "value": _nan_to_none(row[i]),
            "typical": _nan_to_none(reference[i]),
            "contribution": round(scores[0] - s, 6),
        }
        for i, s in zip(changed, scores[1:])
        if scores[0] - s > 0
    ]
    signals.sort(key=lambda s: s["contribution"], reverse=True)
    return signals[:top]

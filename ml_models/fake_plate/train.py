"""Train the fake-plate (套牌) model on a synthetic world, compare it with a rule, export ONNX.

Run from the repo root: ``.venv/bin/python -m ml_models.fake_plate.train``.
Features come from ``backend.risk.features`` -- the module the backend scores with -- so
training and serving cannot drift.
"""

from __future__ import annotations

import math
import time

import lightgbm as lgb
import numpy as np
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import GroupShuffleSplit

from backend.risk.features import FEATURE_NAMES, compute_features, to_row
from ml_models.fake_plate import export
from ml_models.fake_plate.world import World, WorldConfig, generate_world

TRAIN_SEED = 20260302
EVAL_SEED = 20260303  # the second, unseen world
RULE_SPEED_KMH = 100.0  # a loaded coal truck cannot average this on Shenmu roads
MODEL_VERSION = "1.0.0"

# +1: risk may only rise with the feature; -1: only fall; 0: free (it interacts, e.g. a far
# fix is damning when fresh and meaningless when days old).
MONOTONE = {
    "fix_implied_speed_kmh": 1,
    "prev_sighting_implied_speed_kmh": 1,
    "distinct_gates_6h": 1,
    "tare_dev_registry_kg": 1,
    "tare_dev_recent_kg": 1,
    "vehicle_colour_mismatch": 1,
    "vehicle_type_mismatch": 1,
    "plate_colour_mismatch": 1,
    "lookalike_nearby": -1,
    "active_waybill_at_mine": -1,
}
LGB_PARAMS = dict(
    n_estimators=200,
    learning_rate=0.05,
    num_leaves=15,
    min_child_samples=40,
    subsample=0.8,
    subsample_freq=1,
    colsample_bytree=0.9,
    reg_lambda=1.0,
    monotone_constraints=[MONOTONE.get(name, 0) for name in FEATURE_NAMES],
    monotone_constraints_method="advanced",
    n_jobs=2,
    deterministic=True,
    force_row_wise=True,
    verbose=-1,
)


def dataset(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature matrix (float32, as ONNX sees it), labels and plates of a world's sightings."""
    rows = [to_row(compute_features(**record["inputs"])) for record in world.records]
    x = np.asarray(rows, dtype=np.float32)
    y = np.asarray([record["label"] for record in world.records], dtype=np.int8)
    plates = np.asarray([record["plate"] for record in world.records])
    return x, y, plates


def rule_score(x: np.ndarray) -> np.ndarray:
    """The baseline: the larger implied speed (from the last fix or the previous gate)."""
    speeds = x[
        :, [FEATURE_NAMES.index("fix_implied_speed_kmh"), FEATURE_NAMES.index("prev_sighting_implied_speed_kmh")]
    ]
    return np.nan_to_num(speeds, nan=0.0).max(axis=1)


def split_by_plate(plates: np.ndarray, test_size: float, seed: int):
    """Row indices (train, test) with every plate wholly on one side."""
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    return next(splitter.split(plates, groups=plates))


def best_f1_threshold(y: np.ndarray, proba: np.ndarray) -> float:
    """The probability cut that maximises F1 on validation rows."""
    precision, recall, cuts = precision_recall_curve(y, proba)
    f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
    return float(cuts[int(np.argmax(f1))])


def metrics(y: np.ndarray, score: np.ndarray, cut: float) -> dict[str, float]:
    """ROC-AUC, PR-AUC and precision / recall when flagging score >= cut."""
    flagged = score >= cut
    return {
        "roc_auc": roc_auc_score(y, score),
        "pr_auc": average_precision_score(y, score),
        "precision": precision_score(y, flagged, zero_division=0),
        "recall": recall_score(y, flagged),
        "rows": int(len(y)),
        "positives": int(y.sum()),
    }


def fit(x: np.ndarray, y: np.ndarray, seed: int) -> lgb.LGBMClassifier:
    """A monotone-constrained LightGBM classifier."""
    model = lgb.LGBMClassifier(random_state=seed, **LGB_PARAMS)
    model.fit(x, y, feature_name=FEATURE_NAMES)
    return model


def predict(model: lgb.LGBMClassifier, x: np.ndarray) -> np.ndarray:
    """Clone probabilities from the native booster (float32 inputs, as ONNX gets them)."""
    return model.booster_.predict(x.astype(np.float64))


def evaluate(model, x, y, threshold: float) -> dict[str, dict]:
    """Model and rule-baseline metrics on one labelled set."""
    return {"model": metrics(y, predict(model, x), threshold), "rule": metrics(y, rule_score(x), RULE_SPEED_KMH)}


def recall_by_case(world: World, scores: np.ndarray, threshold: float) -> dict[str, dict]:
    """Recall per clone kind and the copied truck's terminal: where the model is blind."""
    caught, total = {}, {}
    for record, score in zip(world.records, scores):
        if record["label"]:
            original = world.trucks[world.registry[record["plate"]]]
            case = f"{record['clone_kind']} clone, original's terminal {original.terminal}"
            total[case] = total.get(case, 0) + 1
            caught[case] = caught.get(case, 0) + int(score >= threshold)
    return {case: {"sightings": total[case], "recall": round(caught[case] / total[case], 3)} for case in sorted(total)}


def print_metrics(name: str, result: dict[str, dict]):
    """One line per scorer: the numbers the model card records."""
    for who, m in result.items():
        print(
            f"{name:14s} {who:5s} ROC-AUC {m['roc_auc']:.4f}  PR-AUC {m['pr_auc']:.4f}  "
            f"precision {m['precision']:.3f}  recall {m['recall']:.3f}  "
            f"({m['positives']}/{m['rows']} clones)"
        )


def main(config: WorldConfig | None = None) -> dict:
    """Generate, train, evaluate, export; returns the metrics it printed."""
    started = time.perf_counter()
    world = generate_world(TRAIN_SEED, config)
    x, y, plates = dataset(world)
    train_idx, test_idx = split_by_plate(plates, 0.25, TRAIN_SEED)
    fit_pos, val_pos = split_by_plate(plates[train_idx], 0.2, TRAIN_SEED + 1)
    fit_idx, val_idx = train_idx[fit_pos], train_idx[val_pos]
    model = fit(x[fit_idx], y[fit_idx], TRAIN_SEED)
    threshold = best_f1_threshold(y[val_idx], predict(model, x[val_idx]))
    second = generate_world(EVAL_SEED, config)
    x2, y2, _ = dataset(second)
    results = {
        "test_split": evaluate(model, x[test_idx], y[test_idx], threshold),
        "second_world": evaluate(model, x2, y2, threshold),
    }
    by_case = recall_by_case(second, predict(model, x2), threshold)
    print(f"threshold {threshold:.3f} (best F1 on a by-plate validation split)")
    for name, result in results.items():
        print_metrics(name, result)
    for case, numbers in by_case.items():
        print(f"second_world  recall {numbers['recall']:.3f}  {case} ({numbers['sightings']})")
    legit_fit = x[fit_idx][y[fit_idx] == 0]
    reference = [None if math.isnan(v) else round(float(v), 3) for v in np.nanmedian(legit_fit, axis=0)]
    export.write_all(
        model=model,
        x_check=x[test_idx][:2000],
        threshold=threshold,
        reference=reference,
        results=results,
        worlds=(world, second),
        meta_extra={
            "version": MODEL_VERSION,
            "training_seed": TRAIN_SEED,
            "evaluation_seed": EVAL_SEED,
            "rule_speed_kmh": RULE_SPEED_KMH,
            "second_world_recall_by_case": by_case,
            "lgb_params": dict(LGB_PARAMS),
        },
    )
    print(f"done in {time.perf_counter() - started:.1f} s")
    return results


if __name__ == "__main__":
    main()

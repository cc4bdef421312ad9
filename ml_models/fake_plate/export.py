"""Write the trained fake-plate model: ONNX, native LightGBM text, metadata and model card."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType

from backend.risk.features import FEATURE_NAMES

HERE = Path(__file__).resolve().parent
ONNX_PATH = HERE / "model.onnx"
NATIVE_PATH = HERE / "model.txt"
META_PATH = HERE / "model_meta.json"
CARD_PATH = HERE / "MODEL_CARD.md"
INPUT_NAME = "features"
OUTPUT_NAME = "probabilities"
TARGET_OPSET = 15
FEATURE_MEANINGS = {
    "fix_distance_m": "metres from the gate to the registered truck's last GPS fix",
    "fix_age_s": "age of that fix at the sighting (s)",
    "fix_implied_speed_kmh": "speed needed to get from that fix to the gate (200 m slack)",
    "fix_excess_km": "km of that distance beyond 80 km/h × the fix's age (0 = a plausible drive, however stale)",
    "fix_heading_cos": "cosine between the truck's last motion and the way to this gate (1 = driving at it)",
    "fix_report_gap_s": "gap between the last fix and the one ≥ 10 min before it: the terminal's reporting habit",
    "has_terminal": "the registry lists a GPS terminal for the truck (0/1)",
    "prev_sighting_implied_speed_kmh": "speed needed from the plate's previous, other gate",
    "prev_sighting_excess_km": "km from the previous gate beyond 80 km/h × the time between the reads",
    "distinct_gates_6h": "distinct gates that read the plate in the last 6 h, this one included",
    "tare_dev_registry_kg": "|tare − registered tare| (kg), once the empty weighing is in",
    "tare_dev_recent_kg": "|tare − median of the plate's recent tares| (kg)",
    "tare_history_dev_kg": "|median of the plate's recent tares − registered tare| (kg): the weighbridge history",
    "tare_history_closest_kg": "the recent tare closest to the registered tare (kg): trailer swaps cannot hide a match",
    "colour_mismatch_share": "share of the plate's reads (48 h, ≤ 20) whose vehicle colour differs from the registry",
    "type_mismatch_share": "share of those reads whose vehicle type differs from the registry",
    "vehicle_colour_mismatch": "camera's vehicle colour differs from the registry (0/1)",
    "vehicle_type_mismatch": "camera's vehicle type differs from the registry (0/1)",
    "plate_colour_mismatch": "plate colour differs from the registry (0/1)",
    "read_confidence": "camera's plate-read confidence (0–100)",
    "lookalike_nearby": "a registered confusable plate (8/B, 3/8, 0/D …) is at this gate now (0/1)",
    "is_night": "20:00–06:00 Asia/Shanghai (0/1)",
    "active_waybill_at_mine": "the plate holds an active waybill at this site (0/1)",
}


def float32_thresholds(model):
    """Round every split threshold down to a float32, in place; the model's answers do not change.

    ONNX trees compare float32 inputs with float32 thresholds; LightGBM keeps doubles. For a
    float32 input x, x <= t exactly when x <= the largest float32 not above t, so rounding down
    keeps the native scores on float32 rows and makes the ONNX export agree to the last bit.
    """
    import lightgbm as lgb

    lines = []
    for line in model.booster_.model_to_string().splitlines():
        if line.startswith("tree_sizes="):
            continue  # byte sizes of the trees as written; the edited text has others
        if line.startswith("threshold="):
            values = [float(v) for v in line.split("=", 1)[1].split()]
            down = [
                np.float32(v) if np.float32(v) <= v else np.nextafter(np.float32(v), np.float32(-np.inf))
                for v in values
            ]
            line = "threshold=" + " ".join(repr(float(v)) for v in down)
        lines.append(line)
    model._Booster = lgb.Booster(model_str="\n".join(lines) + "\n")
    return model


def to_onnx(model) -> onnx.ModelProto:
    """Convert a LightGBM classifier, keeping only the [n, 2] probability output."""
    proto = convert_lightgbm(
        model,
        name="fake_plate",
        zipmap=False,
        target_opset=TARGET_OPSET,
        initial_types=[(INPUT_NAME, FloatTensorType([None, len(FEATURE_NAMES)]))],
    )
    # The tree node also emits a label; dropping it from the graph outputs leaves one
    # honest output and no second threshold hidden in the file.
    for output in [o for o in proto.graph.output if o.name != OUTPUT_NAME]:
        proto.graph.output.remove(output)
    onnx.checker.check_model(proto)
    return proto


def max_parity_gap(proto: onnx.ModelProto, model, x: np.ndarray) -> float:
    """Largest |ONNX − native| probability over rows x."""
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    (onnx_proba,) = session.run([OUTPUT_NAME], {INPUT_NAME: x.astype(np.float32)})
    native = model.booster_.predict(x.astype(np.float32).astype(np.float64))
    return float(np.abs(onnx_proba[:, 1] - native).max())


def family_summary(worlds) -> dict:
    """Counts that describe a set of generated worlds in the model card."""
    records = [r for w in worlds for r in w.records]
    kinds = Counter(r["clone_kind"] for r in records if r["label"])
    return {
        "worlds": len(worlds),
        "seeds": [w.seed for w in worlds],
        "trucks": sum(w.config.n_trucks for w in worlds),
        "gate_days": sum(w.gate_days for w in worlds),
        "labelled_sightings": len(records),
        "clone_sightings": sum(r["label"] for r in records),
        "clone_sightings_by_kind": dict(sorted(kinds.items())),
        "misreads": sum(r["misread"] for r in records),
        "segments": dict(sorted(Counter(r["segment"] for r in records).items())),
    }


def write_all(
    *, model, x_check: np.ndarray, threshold: float, reference: list, results: dict, worlds: tuple, meta_extra: dict
):
    """Export every artefact and check ONNX against the native booster first."""
    proto = to_onnx(model)  # thresholds already float32 (train.fit)
    gap = max_parity_gap(proto, model, x_check)
    if gap > 1e-5:
        raise RuntimeError(f"ONNX and LightGBM disagree by {gap:g}")
    ONNX_PATH.write_bytes(proto.SerializeToString())
    model.booster_.save_model(str(NATIVE_PATH))
    meta = {
        "feature_names": FEATURE_NAMES,
        "threshold": round(threshold, 6),
        "input_name": INPUT_NAME,
        "output_name": OUTPUT_NAME,
        "positive_class_column": 1,
        "reference_row": reference,
        "onnx_parity_max_abs_diff": gap,
        **meta_extra,
        "families": {name: family_summary(ws) for name, ws in worlds.items()},
        "metrics": results,
    }
    META_PATH.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    CARD_PATH.write_text(model_card(meta))
    print(
        f"wrote {ONNX_PATH.name} ({ONNX_PATH.stat().st_size / 1024:.0f} KB), "
        f"{NATIVE_PATH.name}, {META_PATH.name}, {CARD_PATH.name}; parity gap {gap:.2e}"
    )


def _metrics_table(metrics: dict) -> str:
    lines = [
        "| evaluation set | scorer | ROC-AUC | PR-AUC | precision | recall | false alerts / gate-day "
        "(model) | + unknown-plate alerts | clones / rows |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for set_name, result in metrics.items():
        for scorer in ("model", "rule"):
            m = result[scorer]
            lines.append(
                f"| {set_name} | {scorer} | {m['roc_auc']:.4f} | {m['pr_auc']:.4f} | "
                f"{m['precision']:.3f} | {m['recall']:.3f} | {m['false_alerts_per_gate_day']:.2f} | "
                f"{m['all_false_alerts_per_gate_day']:.2f} | {m['positives']} / {m['rows']} |"
            )
    return "\n".join(lines)


def _segments_table(metrics: dict) -> str:
    lines = [
        "| evaluation set | segment | clones / rows | recall | PR-AUC | false alerts |",
        "|---|---|---|---|---|---|",
    ]
    for set_name, result in metrics.items():
        for segment, n in result["segments"].items():
            recall = "–" if n["recall"] is None else f"{n['recall']:.3f}"
            pr = "–" if n["pr_auc"] is None else f"{n['pr_auc']:.4f}"
            lines.append(
                f"| {set_name} | {segment} | {n['clones']} / {n['rows']} | {recall} | {pr} | {n['false_alerts']} |"
            )
    return "\n".join(lines)


def _family_line(name: str, f: dict) -> str:
    return (
        f"- {name}: {f['worlds']} worlds, {f['trucks']} trucks, {f['gate_days']} gate-days, "
        f"{f['labelled_sightings']} labelled sightings, {f['clone_sightings']} by clones "
        f"{f['clone_sightings_by_kind']}, {f['misreads']} misreads; registered truck's terminal {f['segments']}"
    )


def _unknown_line(name: str, r: dict) -> str:
    return (
        f"- {name}: {r['misreads_resolved']} unknown reads resolved as misreads "
        f"({r['resolved_to_wrong_truck']} to a wrong truck); unknown-plate alerts left: "
        f"{r['unknown_plate_alerts']['false']} on honest trucks, {r['unknown_plate_alerts']['on_clones']} on clones"
    )


def model_card(meta: dict) -> str:
    """The MODEL_CARD.md text from the metadata of this export."""
    template = (HERE / "model_card_template.md").read_text()
    features = "\n".join(f"{i + 1}. `{n}`: {FEATURE_MEANINGS[n]}" for i, n in enumerate(meta["feature_names"]))
    held = meta["metrics"]["held_out"]
    return template.format(
        version=meta["version"],
        threshold=meta["threshold"],
        budget=meta["budget_per_gate_day"],
        headroom=meta["budget_headroom"],
        families="\n".join(_family_line(name, f) for name, f in meta["families"].items()),
        n_features=len(meta["feature_names"]),
        features=features,
        metrics=_metrics_table(meta["metrics"]),
        segments=_segments_table(meta["metrics"]),
        unknown="\n".join(_unknown_line(name, r) for name, r in meta["metrics"].items()),
        held_pr_auc=held["model"]["pr_auc"],
        held_recall=held["model"]["recall"],
        held_false=held["model"]["all_false_alerts_per_gate_day"],
        held_dead_absent=held["segments"]["dead or absent"]["recall"],
        rule_speed=meta["rule_speed_kmh"],
        parity=meta["onnx_parity_max_abs_diff"],
        training_seed=meta["training_seed"],
        evaluation_seed=meta["evaluation_seed"],
    )

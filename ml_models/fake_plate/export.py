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
    "prev_sighting_implied_speed_kmh": "speed needed from the plate's previous, other gate",
    "distinct_gates_6h": "distinct gates that read the plate in the last 6 h, this one included",
    "tare_dev_registry_kg": "|tare − registered tare| (kg), once the empty weighing is in",
    "tare_dev_recent_kg": "|tare − median of the plate's recent tares| (kg)",
    "vehicle_colour_mismatch": "camera's vehicle colour differs from the registry (0/1)",
    "vehicle_type_mismatch": "camera's vehicle type differs from the registry (0/1)",
    "plate_colour_mismatch": "plate colour differs from the registry (0/1)",
    "read_confidence": "camera's plate-read confidence (0–100)",
    "lookalike_nearby": "a registered look-alike plate (8/B, 0/D …) is at this gate now (0/1)",
    "is_night": "20:00–06:00 Asia/Shanghai (0/1)",
    "active_waybill_at_mine": "the plate holds an active waybill at this site (0/1)",
}


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


def world_summary(world) -> dict:
    """Counts that describe a generated world in the model card."""
    kinds = Counter(r["clone_kind"] for r in world.records if r["label"])
    return {
        "seed": world.seed,
        "trucks": world.config.n_trucks,
        "days": world.config.days,
        "labelled_sightings": len(world.records),
        "clone_sightings": sum(r["label"] for r in world.records),
        "clone_sightings_by_kind": dict(sorted(kinds.items())),
        "misreads_of_registered_plates": sum(r["misread"] for r in world.records),
    }


def write_all(
    *, model, x_check: np.ndarray, threshold: float, reference: list, results: dict, worlds: tuple, meta_extra: dict
):
    """Export every artefact and check ONNX against the native booster first."""
    proto = to_onnx(model)
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
        "worlds": [world_summary(w) for w in worlds],
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
        "| evaluation set | scorer | ROC-AUC | PR-AUC | precision | recall | clones / rows |",
        "|---|---|---|---|---|---|---|",
    ]
    for set_name, by_scorer in metrics.items():
        for scorer, m in by_scorer.items():
            lines.append(
                f"| {set_name} | {scorer} | {m['roc_auc']:.4f} | {m['pr_auc']:.4f} | "
                f"{m['precision']:.3f} | {m['recall']:.3f} | "
                f"{m['positives']} / {m['rows']} |"
            )
    return "\n".join(lines)


def model_card(meta: dict) -> str:
    """The MODEL_CARD.md text from the metadata of this export."""
    template = (HERE / "model_card_template.md").read_text()
    worlds = "\n".join(
        f"- seed {w['seed']}: {w['trucks']} trucks, {w['days']} days, "
        f"{w['labelled_sightings']} labelled sightings, "
        f"{w['clone_sightings']} by clones {w['clone_sightings_by_kind']}, "
        f"{w['misreads_of_registered_plates']} misreads naming another "
        f"registered truck"
        for w in meta["worlds"]
    )
    features = "\n".join(f"{i + 1}. `{n}`: {FEATURE_MEANINGS[n]}" for i, n in enumerate(meta["feature_names"]))
    cases = "\n".join(
        f"| {case} | {n['sightings']} | {n['recall']:.3f} |" for case, n in meta["second_world_recall_by_case"].items()
    )
    return template.format(
        version=meta["version"],
        threshold=meta["threshold"],
        worlds=worlds,
        features=features,
        metrics=_metrics_table(meta["metrics"]),
        cases=cases,
        rule_speed=meta["rule_speed_kmh"],
        parity=meta["onnx_parity_max_abs_diff"],
        training_seed=meta["training_seed"],
        evaluation_seed=meta["evaluation_seed"],
    )

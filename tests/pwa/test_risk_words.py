"""The gate's fake-plate and weighing evidence has plain words with units (pwa/lib/risk-words.js) for every model
feature, rule, weighing problem and evidence number the backend produces: gate staff never read a key name."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS = (ROOT / "pwa" / "lib" / "risk-words.js").read_text()


def table(name):
    body = WORDS.split(f"export const {name} = {{", 1)[1].split("\n};", 1)[0]
    return set(re.findall(r"^  ([a-z0-9_]+): \[", body, re.MULTILINE))


def dict_keys(node):
    return {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def backend_evidence():
    """(evidence number keys, weighing problem codes) written by the gate's scoring, identify and weighing."""
    numbers, codes = set(), set()
    for path in (ROOT / "backend" / "gate").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=False):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value in ("numbers", "limits")
                        and isinstance(value, ast.Dict)
                    ):
                        numbers |= dict_keys(value)
                    if isinstance(key, ast.Constant) and key.value == "code" and isinstance(value, ast.Constant):
                        codes.add(value.value)
            if isinstance(node, ast.FunctionDef) and node.name == "_numbers":
                numbers |= {k for n in ast.walk(node) if isinstance(n, ast.Dict) for k in dict_keys(n)}
            if (
                isinstance(node, ast.Assign)
                and getattr(node.targets[0], "id", None) == "limits"
                and isinstance(node.value, ast.Dict)
            ):
                numbers |= dict_keys(node.value)
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
                numbers |= {k for n in node.value.elts if isinstance(n, ast.Dict) for k in dict_keys(n)}
    return numbers, codes


def test_every_model_feature_has_words():
    from backend.risk.features import FEATURE_NAMES

    assert sorted(set(FEATURE_NAMES) - table("FEATURE_WORDS")) == []


def test_every_rule_and_weighing_problem_has_words():
    from backend.gate.scoring import RULE_MESSAGES

    numbers, codes = backend_evidence()
    assert {"over_legal_gross", "tare_drift_registry"} <= codes  # the scan found the weighing problems
    assert sorted((set(RULE_MESSAGES) | codes) - table("RULE_WORDS")) == []


def test_every_evidence_number_is_worded():
    numbers, _ = backend_evidence()
    assert {"implied_speed_kmh", "registered_tare_kg", "legal_gross_kg", "tare_tolerance_kg"} <= numbers
    shown = set(re.findall(r"'([a-z0-9_]+)'", WORDS.split("export const EVIDENCE_KEYS = [", 1)[1].split("];", 1)[0]))
    assert sorted(numbers - shown) == []
    for key in shown:  # each listed key is really read by evidenceRows
        assert re.search(
            rf"n\.{key}\b|'{key}'", WORDS.split("export function evidenceRows", 1)[1].split("export const", 1)[0]
        ), key

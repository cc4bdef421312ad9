"""A waybill's history says why in the user's words: every reason the backend writes by itself has zh/en words in
pwa/lib/waybill-words.js (REASON_WORDS), so a timeline never shows "driver pressed depart" or "geofence at 17959...".
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS = (ROOT / "pwa" / "lib" / "waybill-words.js").read_text()


def backend_reasons():
    """{literal reason: file} for every `reason="..."` keyword the backend passes."""
    found = {}
    for path in (ROOT / "backend").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            for keyword in getattr(node, "keywords", []):
                value = keyword.value
                if keyword.arg == "reason" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(value.value, str(path.relative_to(ROOT)))
    return found


def test_every_reason_the_backend_writes_by_itself_has_words():
    table = WORDS.split("const REASON_WORDS = {", 1)[1].split("\n};", 1)[0]
    worded = {
        m.group(1) or m.group(2): m.group(3) for m in re.finditer(r"^\s*(?:'([^']+)'|(\w+)): \['([^']+)'", table, re.M)
    }
    reasons = backend_reasons()
    assert "driver pressed depart" in reasons  # the scan found them
    assert sorted(f"{r} ({where})" for r, where in reasons.items() if r not in worded) == []
    assert all(re.search(r"[\u4e00-\u9fff]", zh) for zh in worded.values())


def test_the_geofence_reason_with_its_time_is_worded_too():
    assert 'f"geofence at {at_ms}"' in (ROOT / "backend" / "tracking" / "trip_runner.py").read_text()
    assert r"/^geofence at \d+$/" in WORDS

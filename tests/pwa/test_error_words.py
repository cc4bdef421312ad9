"""Every error code the backend can answer with has words for people in zh-CN and English (pwa/lib/error-words.js):
screens show those, never the code or the server's English."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS = (ROOT / "pwa" / "lib" / "error-words.js").read_text()
RAISERS = {"ApiError", "NotFound", "Conflict", "Forbidden", "error_response", "error_body", "_reject"}
CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def backend_codes():
    """{code: file} for every literal error code the backend raises, and the prefixes of codes built at run time."""
    from backend.common.errors import HTTP_CODES

    codes, prefixes = {code: "backend/common/errors.py" for code in HTTP_CODES.values()}, set()
    for path in (ROOT / "backend").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if (
                    keyword.arg == "code"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                ):
                    codes.setdefault(keyword.value.value, str(path.relative_to(ROOT)))
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in RAISERS or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and CODE.match(first.value):
                codes.setdefault(first.value, str(path.relative_to(ROOT)))
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                prefixes.add(first.values[0].value)
    return codes, prefixes


def translated():
    """{code: (zh, en)} from the table in error-words.js."""
    entry = re.compile(r"""^\s*([a-z0-9_]+): \['([^']*)', (?:'([^']*)'|"([^"]*)")\],""", re.MULTILINE)
    table = WORDS.split("export const ERROR_WORDS = {", 1)[1].split("\n};", 1)[0]
    return {m.group(1): (m.group(2), m.group(3) or m.group(4)) for m in entry.finditer(table)}


def test_every_backend_error_code_has_words_in_both_languages():
    codes, prefixes = backend_codes()
    words = translated()
    assert len(codes) > 100  # the scan found the codes (a broken scan must not pass silently)
    missing = sorted(f"{code} ({where})" for code, where in codes.items() if code not in words)
    assert missing == [], "add these codes to pwa/lib/error-words.js"
    assert sorted(p for p in prefixes if p not in words) == [], "codes built at run time need their prefix's words"


def test_the_words_are_chinese_for_zh_and_not_the_code_itself():
    for code, (zh, en) in translated().items():
        assert re.search(r"[\u4e00-\u9fff]", zh), code
        assert en and en != code and "_" not in en, code


def test_the_api_client_shows_these_words_and_keeps_the_servers_message_apart():
    api = (ROOT / "pwa" / "lib" / "api.js").read_text()
    assert "errorWords(code, details)" in api and "serverMessage" in api


def field_words():
    """{field: (zh, en)} from FIELD_WORDS in error-words.js."""
    table = WORDS.split("export const FIELD_WORDS = {", 1)[1].split("\n};", 1)[0]
    entry = re.compile(r"""^\s*'?([A-Za-z0-9_.\-]+)'?: \['([^']*)', (?:'([^']*)'|"([^"]*)")""", re.MULTILINE)
    return {m.group(1): (m.group(2), m.group(3) or m.group(4)) for m in entry.finditer(table)}


def request_fields(monkeypatch):
    """Every body and query field the API takes (OpenAPI) and every field the backend names in a field_error."""
    for name, value in {
        "JWT_SECRET_KEY": "k" * 32,
        "DEVICE_MASTER_KEY": "d" * 32,
        "GATE_PASS_KEY": "g" * 32,
        "SECRET_SEAL_KEY": "s" * 32,
    }.items():
        monkeypatch.setenv(name, value)
    from backend import config
    from backend.app import create_app

    config.environment.cache_clear()
    spec = create_app().test_client().get("/api/openapi.json").json
    config.environment.cache_clear()
    schemas, names = spec["components"]["schemas"], {}

    def properties(schema):
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema
        return schema.get("properties", {})

    for path, operations in spec["paths"].items():
        for operation in (op for op in operations.values() if isinstance(op, dict)):
            for content in (operation.get("requestBody") or {}).get("content", {}).values():
                names.update(dict.fromkeys(properties(content["schema"]), path))
            names.update({p["name"]: path for p in operation.get("parameters", []) if p.get("in") == "query"})
    for path in (ROOT / "backend").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            func = getattr(node, "func", None)
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name == "field_error" and node.args and isinstance(node.args[0], ast.Constant):
                names.setdefault(node.args[0].value, str(path.relative_to(ROOT)))
    return names


def test_every_field_the_api_takes_or_names_in_an_error_has_the_forms_words(monkeypatch):
    names, words = request_fields(monkeypatch), field_words()
    assert len(names) > 150 and "tonnage_kg" in names  # the scan found the fields
    missing = sorted(f"{name} ({where})" for name, where in names.items() if name not in words)
    assert missing == [], "add these fields to FIELD_WORDS in pwa/lib/error-words.js"
    for name, (zh, en) in words.items():
        assert re.search(r"[\u4e00-\u9fff]", zh) and en and "_" not in en, name
    # Weights are typed in 吨 and money in 元 on every form, so a kg/fen limit must be converted for the form.
    units = dict(re.findall(r"""^\s*'?([A-Za-z0-9_.\-]+)'?: \[.*, '(\w+)'\],$""", WORDS, re.MULTILINE))
    assert all(units.get(name) == "t" for name in words if name.endswith("_kg"))
    assert all(units.get(name, "").startswith("yuan") for name in words if re.search(r"_fen(_|$)", name))


def test_every_field_problem_the_server_can_name_has_words():
    from backend.common import field_problems

    codes = {code for _, code, _ in field_problems.PATTERNS} | {"invalid"}
    table = WORDS.split("export const PROBLEM_WORDS = {", 1)[1].split("\n};", 1)[0]
    worded = dict(re.findall(r"^\s*([a-z_]+): \['([^']*)'", table, re.MULTILINE))
    assert sorted(codes - set(worded)) == []
    assert all(re.search(r"[\u4e00-\u9fff]", zh) for zh in worded.values())


def details_keys():
    """{code: set of details keys} over every raise site that passes a literal details dict."""
    found = {}
    for path in (ROOT / "backend").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            for keyword in node.keywords:
                if keyword.arg == "details" and isinstance(keyword.value, ast.Dict):
                    keys = {k.value for k in keyword.value.keys if isinstance(k, ast.Constant)}
                    found.setdefault(node.args[0].value, set()).update(keys)
    return found


def test_sharper_words_use_numbers_the_server_really_sends():
    table = WORDS.split("export const DETAIL_WORDS = {", 1)[1].split("\n};", 1)[0]
    sharp = dict(re.findall(r"^\s*([a-z_]+): \['([^']*)'", table, re.MULTILINE))
    sent, words = details_keys(), translated()
    assert "vehicle_too_small" in sharp
    for code, zh in sharp.items():
        assert code in words, code  # the plain words stay for a reply without the numbers
        assert set(re.findall(r"\{(\w+)\}", zh)) <= sent.get(code, set()), code

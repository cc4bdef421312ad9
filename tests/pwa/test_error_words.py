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
    return {m.group(1): (m.group(2), m.group(3) or m.group(4)) for m in entry.finditer(WORDS)}


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
    assert "errorWords(code)" in api and "serverMessage" in api

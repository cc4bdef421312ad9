"""Reading the PWA's ES modules as text: their imports, the message tables and the t('...') calls."""

import re
from pathlib import Path

PWA = Path(__file__).resolve().parents[2] / "pwa"

_STRING = r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
_IMPORT = re.compile(
    r"""(?:\bimport\s*(?:[\w*{}\s,]+?\s*from\s*)?|\bexport\s*(?:\*|\{[^}]*\})\s*from\s*|\bimport\()\s*'([^']+)'"""
)
_NAMED = re.compile(r"""\b(?:import|export)\s*\{([^}]*)\}\s*from\s*'([^']+)'""")
_EXPORTED = re.compile(r"\bexport\s+(?:async\s+)?(?:function\*?|const|let|class)\s+(\w+)")
_EXPORT_LIST = re.compile(r"\bexport\s*\{([^}]*)\}")
_TABLE_START = re.compile(r"\b(zh|en)\s*:\s*\{")
_ENTRY = re.compile(rf"\s*({_STRING}|[A-Za-z_$][\w$]*)\s*:\s*({_STRING})\s*,?")
_T_CALL = re.compile(r"(?<![\w$.])(?:ctx\.)?t\(\s*(?:'([^'$]+)'|`([^`$]*)(\$\{)?)")


def js_files():
    """Every module of the app (node_modules excluded)."""
    return sorted(p for p in PWA.rglob("*.js") if "node_modules" not in p.parts)


def read(path):
    """A module's code with its comments blanked out (a comment may quote code: `addMessages({zh: ...})`)."""
    text = path.read_text(encoding="utf-8")
    out, i = [], 0
    while i < len(text):
        if text.startswith("//", i) and text[max(0, i - 1)] not in ":\\":  # not inside 'http://'
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        elif text[i] in "'\"`":
            end = text.index("`", i + 1) + 1 if text[i] == "`" else re.compile(_STRING).match(text, i).end()
            out.append(text[i:end])
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def relative(path):
    return path.relative_to(PWA).as_posix()


def resolve(importer, spec):
    """The file an import specifier names ('/lib/x.js' is served from pwa/), or None for /vendor."""
    if spec.startswith("/vendor/"):
        return None
    base = PWA if spec.startswith("/") else importer.parent
    return (base / spec.lstrip("/")).resolve()


def imports(path):
    """The specifiers of a module's static imports, re-exports and dynamic import() calls."""
    return _IMPORT.findall(read(path))


def named_imports(path):
    """(names, specifier) for `import {a, b as c} from` and `export {a} from`: the names as exported."""
    return [
        ([n.split(" as ")[0].strip() for n in names.split(",") if n.strip()], spec)
        for names, spec in _NAMED.findall(read(path))
    ]


def exported_names(path):
    text = read(path)
    names = set(_EXPORTED.findall(text))
    for group in _EXPORT_LIST.findall(text):
        names.update(n.split(" as ")[-1].strip() for n in group.split(",") if n.strip())
    return names


def _closing_brace(text, start):
    """The index of the '}' matching the '{' at start, skipping string literals."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char in "'\"`":
            i = text.index(char, i + 1) if char == "`" else re.compile(_STRING).match(text, i).end() - 1
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced braces")


def _entries(body):
    """{key: text} of a flat table body ('a.b': 'text', name: "text", ...)."""
    table, pos = {}, 0
    while body[pos:].strip():
        match = _ENTRY.match(body, pos)
        if not match:
            raise ValueError(f"not a message entry: {body[pos : pos + 60]!r}")
        key, text = (m[1:-1] if m[0] in "'\"" else m for m in match.groups())
        table[key] = text
        pos = match.end()
    return table


def message_tables(path):
    """[(zh, en)] of a module: each `zh: {...}` followed by its `en: {...}` (the addMessages shape)."""
    text, tables, pending = read(path), [], None
    for match in _TABLE_START.finditer(text):
        end = _closing_brace(text, match.end() - 1)
        table = _entries(text[match.end() : end])
        if match.group(1) == "zh":
            pending = table
        else:
            tables.append((pending, table))
            pending = None
    return tables


def t_calls(path):
    """(key, is_prefix) for each t('key') / t(`prefix.${...}`) in a module."""
    found = []
    for literal, template, dynamic in _T_CALL.findall(read(path)):
        found.append((literal or template, bool(dynamic)))
    return found

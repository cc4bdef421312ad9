"""Field problems as codes with their limits, so a client words them in the form's own terms (吨, not kg)."""

import functools
import re

# marshmallow's stock messages (and our validators' wording) -> a problem code; the groups are its limits.
# The server's English stays in details.fields for developers; details.problems is what a screen words.
# Compiled on the first bad input a process sees (`_compiled`), not while a container starts.
_NUMBER = r"(-?\d+(?:\.\d+)?)"
PATTERNS = (
    (r"^Missing data for required field\.$|^Field may not be null\.$", "required", ()),
    (r"^Unknown field\.$", "unknown_field", ()),
    (
        r"^Not a valid (?:integer|number)\.$|^Special numeric values|^Number too large\.$",
        "not_a_number",
        (),
    ),
    (r"^Not a valid (?:date|datetime)\.$|cannot be formatted as a date", "not_a_date", ()),
    (
        rf"^Must be greater than (?:or equal to )?{_NUMBER} and less than (?:or equal to )?{_NUMBER}\.$",
        "out_of_range",
        ("min", "max"),
    ),
    (rf"^Must be greater than (?:or equal to )?{_NUMBER}\.$", "too_small", ("min",)),
    (rf"^Must be less than (?:or equal to )?{_NUMBER}\.$", "too_large", ("max",)),
    (r"^Length must be between (\d+) and (\d+)\.$", "length_between", ("min", "max")),
    (r"^Shorter than minimum length (\d+)\.$", "too_short", ("min",)),
    (r"^Longer than maximum length (\d+)\.$", "too_long", ("max",)),
    (r"^Length must be (\d+)\.$", "length_exact", ("length",)),
    (r"^Must be one of: |^one of |^(?:must be )?[a-z_]+ or [a-z_]+$", "not_one_of", ()),
    # Our services' own phrasing (field_error without why=): "one truckload is 10000–49000 kg", "between 2 and 8".
    (r"^required\b|^must not be empty$|^say (?:why|what|how)", "required", ()),
    (r"(?:^|\s)(\d[\d,]*)\s*(?:–|-|to|and)\s*(\d[\d,]*)(?:\s|$)", "out_of_range", ("min", "max")),
    (r"^at least (\d[\d,]*) characters", "too_short", ("min",)),
    (r"^at most (\d[\d,]*) characters", "too_long", ("max",)),
    (r"^at most (\d[\d,]*)$", "too_large", ("max",)),
    (r"^at least (\d[\d,]*)$|^must be 0 or more$", "too_small", ("min",)),
    (r"calendar date|YYYY-MM-DD|ISO 8601", "not_a_date", ()),
)


@functools.cache
def _compiled():
    return tuple((re.compile(source), code, names) for source, code, names in PATTERNS)


def _number(text):
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() else value


def classify(message):
    """One validation message -> {"code", limits...}; anything unrecognised is "invalid"."""
    for pattern, code, names in _compiled():
        match = pattern.search(str(message))
        if match:
            return {
                "code": code,
                **{name: _number(v) for name, v in zip(names, match.groups(), strict=False) if v is not None},
            }
    return {"code": "invalid"}


def flatten(messages, prefix=""):
    """webargs' nested {field: [msg] | {sub: ...} | {index: ...}} -> [(dotted field, message)]."""
    out = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            # A list index or "_schema" names no field of its own: the problem belongs to the enclosing one.
            name = prefix if isinstance(key, int) or str(key).isdigit() or key == "_schema" else str(key)
            name = f"{prefix}.{name}" if prefix and name != prefix else name
            out.extend(flatten(value, name))
    elif isinstance(messages, (list, tuple)):
        for value in messages:
            out.extend(flatten(value, prefix) if isinstance(value, (dict, list)) else [(prefix or "request", value)])
    else:
        out.append((prefix or "request", messages))
    return out


def problems(messages):
    """details.problems for a marshmallow/webargs messages tree: one entry per field and message."""
    return [{"field": field, **classify(message)} for field, message in flatten(messages)]

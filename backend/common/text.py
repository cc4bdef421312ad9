"""What a string, number or date from a client must be before any code sees it (pure functions, no Flask).

A lone UTF-16 surrogate ("\\ud800") is accepted by Python's JSON parser and stored by DynamoDB, then
breaks every reply that serialises it; control characters forge log lines and break CSV/SMS; the same
name typed on two phones can arrive composed or decomposed. So every string is checked and put in NFC
once, at the edge (backend/common/edge.py), and numbers are held to what DynamoDB can store.
"""

import datetime
import math
import re
import unicodedata

from backend.common.errors import field_error

# C0 controls except tab, newline and carriage return (multi-line notes), DEL, C1 controls, lone
# surrogates and the two non-characters a UTF-16 byte-order mistake produces.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT_CHARS = 10_000  # any string; schemas set tighter bounds per field
MAX_ID_CHARS = 128  # a field named id / *_id: DynamoDB keys must be non-empty and at most 2 KB
MAX_NUMBER_DIGITS = 38  # DynamoDB numbers keep 38 significant digits
MAX_NUMBER = 9.9999999999999999e125  # ...between 1e-130 and this in magnitude
MIN_NUMBER = 1e-130


class TooManyDigits:
    """An integer literal longer than DynamoDB (or Python's int parser) takes, kept for a named error."""

    def __init__(self, text):
        self.text = text


def parse_int(text):
    """json.loads' parse_int: refuse huge literals without converting them (int() of 10^5 digits is slow)."""
    digits = len(text.lstrip("-"))
    return TooManyDigits(text) if digits > MAX_NUMBER_DIGITS else int(text)


def is_id_name(name):
    return name == "id" or name.endswith("_id")


def clean_text(value, field, *, max_chars=MAX_TEXT_CHARS):
    """The string in NFC, or a 400 naming `field` when it holds characters no reply could carry."""
    bad = _BAD_CHARS.search(value)
    if bad:
        raise field_error(field, f"invalid character U+{ord(bad.group()):04X} at position {bad.start()}")
    value = unicodedata.normalize("NFC", value)
    limit = min(max_chars, MAX_ID_CHARS) if is_id_name(field.rsplit(".", 1)[-1]) else max_chars
    if len(value) > limit:
        raise field_error(field, f"at most {limit} characters")
    if not value and is_id_name(field.rsplit(".", 1)[-1]):
        raise field_error(field, "must not be empty")
    if _ISO_DATE.match(value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise field_error(field, "not a calendar date") from None
    return value


def check_number(value, field):
    """A JSON number DynamoDB can store exactly: finite, at most 38 digits, within its exponent range."""
    if isinstance(value, TooManyDigits):
        raise field_error(field, f"more than {MAX_NUMBER_DIGITS} digits")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise field_error(field, "must be a finite number")
        if value and not MIN_NUMBER <= abs(value) <= MAX_NUMBER:
            raise field_error(field, "out of range")
    return value


def clean_json(value, field="body"):
    """A parsed JSON body with every string (keys too) cleaned and every number checked; names the bad field."""
    if isinstance(value, str):
        return clean_text(value, field)
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            name = key if field == "body" else f"{field}.{key}"
            cleaned[clean_text(key, name, max_chars=MAX_ID_CHARS)] = clean_json(item, name)
        return cleaned
    if isinstance(value, list):
        return [clean_json(item, f"{field}.{index}") for index, item in enumerate(value)]
    if isinstance(value, (int, float, TooManyDigits)) and not isinstance(value, bool):
        return check_number(value, field)
    return value


def exceeds_depth(raw, limit):
    """True when JSON text nests arrays/objects deeper than `limit` (checked before parsing: no recursion)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    # Strings are skipped whole, so brackets inside them do not count.
    for token in re.finditer(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', raw):
        char = token.group()
        if char in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif char in (b"]", b"}"):
            depth -= 1
    return False


def repair(value):
    """A stored string with lone surrogates replaced by U+FFFD (what a reply or the repair migration shows)."""
    return _SURROGATES.sub("\ufffd", value)


def has_surrogates(value):
    return bool(_SURROGATES.search(value))

"""Mainland China licence plates: normalise, validate, and check the plate colour fits."""

import re
import unicodedata

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Plates never use I or O (they read as 1 and 0).
_CHAR = "A-HJ-NP-Z0-9"
_LETTER = "A-HJ-NP-Z"
ORDINARY = re.compile(rf"^[{PROVINCES}][{_LETTER}][{_CHAR}]{{5}}$")
# New-energy plates: small vehicles put D/F (electric/hybrid, and the newer A-K series) first,
# large vehicles put it last.
NEW_ENERGY_SMALL = re.compile(rf"^[{PROVINCES}][{_LETTER}][A-HJK][{_CHAR}][0-9]{{4}}$")
NEW_ENERGY_LARGE = re.compile(rf"^[{PROVINCES}][{_LETTER}][0-9]{{5}}[A-HJK]$")
COLOURS = ("blue", "yellow", "green", "yellow_green", "white", "black")
_DROP = {"·", "•", "・", "-", " ", "\u3000", "."}
# Gross weight above 4.5 t makes a vehicle "large": it must carry a yellow (or yellow-green) plate.
HEAVY_GROSS_KG = 4500


class PlateError(ValueError):
    """A plate or plate colour that cannot be right; the message says why."""


def normalise_plate(raw):
    """NFKC, upper case, separators dropped: '陕k·12345' -> '陕K12345'."""
    text = unicodedata.normalize("NFKC", str(raw or "")).upper()
    return "".join(ch for ch in text if ch not in _DROP)


def plate_kind(plate):
    """'ordinary', 'new_energy_small' or 'new_energy_large' for a normalised plate, else None."""
    if NEW_ENERGY_SMALL.match(plate):
        return "new_energy_small"
    if NEW_ENERGY_LARGE.match(plate):
        return "new_energy_large"
    if ORDINARY.match(plate):
        return "ordinary"
    return None


def validate_plate(raw, colour, *, gross_kg=None):
    """The normalised plate, or PlateError naming what is wrong with plate or colour."""
    plate = normalise_plate(raw)
    kind = plate_kind(plate)
    if kind is None:
        if plate[:1] not in PROVINCES:
            raise PlateError("must start with a province character such as 陕")
        raise PlateError("must be a province character, a letter and 5 characters (6 for new-energy)")
    if colour not in COLOURS:
        raise PlateError(f"plate colour must be one of {', '.join(COLOURS)}")
    allowed = {
        "ordinary": {"blue", "yellow", "white", "black"},
        "new_energy_small": {"green"},
        "new_energy_large": {"yellow_green"},
    }[kind]
    if colour not in allowed:
        raise PlateError(f"a {kind.replace('_', '-')} plate cannot be {colour}")
    if gross_kg is not None and gross_kg > HEAVY_GROSS_KG and colour in ("blue", "green"):
        raise PlateError("a heavy truck (over 4.5 t) carries a yellow or yellow-green plate")
    return plate

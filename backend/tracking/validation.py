"""Per-fix validation: each bad fix is named by its index and field, the good ones are kept."""

import math

from backend.tracking import settings

RANGES = {"lon": (-180.0, 180.0), "lat": (-90.0, 90.0), "course": (0.0, 360.0)}


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _check_ranges(raw, errors):
    out = {}
    for name in ("lon", "lat", "speed_kmh", "course", "accuracy_m"):
        value = raw.get(name)
        if value is None:
            if name in ("lon", "lat"):
                errors[name] = ["required"]
            continue
        number = _number(value)
        low, high = RANGES.get(
            name,
            (
                0.0,
                {
                    "speed_kmh": settings.get("TRACK_MAX_SPEED_KMH"),
                    "accuracy_m": settings.get("TRACK_MAX_ACCURACY_M"),
                }.get(name),
            ),
        )
        if number is None:
            errors[name] = ["must be a number"]
        elif not low <= number <= high:
            errors[name] = [f"must be between {low:g} and {high:g}"]
        else:
            out[name] = number
    return out


def _check_time(raw, errors, now_ms):
    at = raw.get("at_ms")
    if isinstance(at, bool) or not isinstance(at, (int, float)) or not math.isfinite(at):
        errors["at_ms"] = ["required: UTC epoch milliseconds"]
        return None
    at = int(at)
    if at > now_ms + settings.get("TRACK_MAX_FUTURE_MS"):
        errors["at_ms"] = ["more than 5 minutes in the future"]
    elif at < now_ms - settings.get("TRACK_RETENTION_DAYS") * 86400 * 1000:
        errors["at_ms"] = ["older than the retention period"]
    return at


def validate_fix(raw, now_ms):
    """(clean fix dict, None) or (None, {field: [messages]})."""
    if not isinstance(raw, dict):
        return None, {"fix": ["must be an object"]}
    errors = {}
    clean = _check_ranges(raw, errors)
    at = _check_time(raw, errors, now_ms)
    if errors:
        return None, errors
    clean["at_ms"] = at
    clean["lon"], clean["lat"] = round(clean["lon"], 6), round(clean["lat"], 6)
    return clean, None


def validate_batch(raws, now_ms):
    """(good fixes with their index, {"fixes.<i>.<field>": [messages]}) for a batch."""
    good, errors = [], {}
    for index, raw in enumerate(raws):
        clean, problems = validate_fix(raw, now_ms)
        if problems:
            errors.update({f"fixes.{index}.{name}": msgs for name, msgs in problems.items()})
        else:
            good.append(clean)
    return good, errors

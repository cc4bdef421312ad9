"""Camera payloads (ours and the Vzenith-style AlarmInfoPlate push) normalised to one sighting shape."""

from backend.accounts.plates import normalise_plate
from backend.common.errors import field_error

# Vzenith colorType codes for the plate colour (0 = unknown).
VZ_PLATE_COLOURS = {1: "blue", 2: "yellow", 3: "white", 4: "black", 5: "green", 6: "yellow_green"}
# Vzenith carColor codes for the body colour (255 / unknown codes = not read).
VZ_BODY_COLOURS = {
    0: "white",
    1: "silver",
    2: "yellow",
    3: "pink",
    4: "red",
    5: "green",
    6: "blue",
    7: "brown",
    8: "black",
}
PLATE_COLOURS = ("blue", "yellow", "white", "black", "green", "yellow_green")
# One vocabulary for the camera's and the registry's vehicle types, so a mismatch means something.
VEHICLE_TYPES = {
    "tractor_trailer": "heavy_semitrailer_tractor",
    "semitrailer_tractor": "heavy_semitrailer_tractor",
    "heavy_semitrailer_tractor": "heavy_semitrailer_tractor",
    "tractor": "heavy_semitrailer_tractor",
    "dump_truck": "heavy_dump_truck",
    "heavy_dump_truck": "heavy_dump_truck",
    "dump": "heavy_dump_truck",
    "van": "light_van",
    "light_van": "light_van",
    "car": "car",
}


def canonical_vehicle_type(value):
    """The shared vehicle-type name, or None when the value is not one we can compare."""
    return VEHICLE_TYPES.get(str(value or "").strip().lower()) or None


def _confidence(value):
    if value is None:
        return None
    try:
        confidence = float(value)
    except (TypeError, ValueError):
        raise field_error("confidence", "a number from 0 to 100") from None
    if not 0 <= confidence <= 100:
        raise field_error("confidence", "a number from 0 to 100")
    return confidence


def _vz_time_ms(result, now_ms):
    stamp = result.get("timeStamp") or {}
    timeval = stamp.get("Timeval") if isinstance(stamp, dict) else None
    try:
        if isinstance(timeval, dict) and timeval.get("sec"):
            return int(timeval["sec"]) * 1000 + int(timeval.get("usec", 0)) // 1000
        raw = result.get("timestamp")
        if raw:
            raw = int(raw)
            return raw if raw > 10**11 else raw * 1000  # seconds or milliseconds
    except (TypeError, ValueError):
        raise field_error("timeStamp", "seconds (and usec) as integers") from None
    return now_ms


def _vz_colour(table, value):
    if isinstance(value, str) and not value.isdigit():
        return value.strip().lower() or None
    try:
        return table.get(int(value))
    except (TypeError, ValueError):
        return None


def from_vzenith(alarm, *, now_ms):
    """An AlarmInfoPlate object (flat, or with result.PlateResult as the cameras push it)."""
    if not isinstance(alarm, dict):
        raise field_error("AlarmInfoPlate", "must be an object")
    result = alarm.get("result") or {}
    result = (result.get("PlateResult") if isinstance(result, dict) else None) or alarm
    if not isinstance(result, dict) or not isinstance(result.get("license"), str) or not result["license"]:
        raise field_error("AlarmInfoPlate", "license is required")
    return {
        "plate": normalise_plate(result["license"]),
        "plate_color": VZ_PLATE_COLOURS.get(_int_or_none(result.get("colorType"))),
        "confidence": _confidence(result.get("confidence")),
        "vehicle_color": _vz_colour(VZ_BODY_COLOURS, result.get("carColor")),
        "vehicle_type": canonical_vehicle_type(result.get("carType") or result.get("vehicle_type")),
        "at": _vz_time_ms(result, now_ms),
        "image_ref": result.get("imagePath") or alarm.get("imagePath"),
        "lane": str(alarm.get("channel", alarm.get("lane", "1"))),
        "direction": result.get("direction") or "in",
        "source": "vzenith",
    }


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def from_ours(body, *, now_ms):
    """Our own camera JSON (already validated by the schema)."""
    if not body.get("plate"):
        raise field_error("plate", "required (or send an AlarmInfoPlate object)")
    return {
        "plate": normalise_plate(body["plate"]),
        "plate_color": body.get("plate_color"),
        "confidence": _confidence(body.get("confidence")),
        "vehicle_color": body.get("vehicle_color"),
        "vehicle_type": canonical_vehicle_type(body.get("vehicle_type")),
        "at": body.get("at") or now_ms,
        "image_ref": body.get("image_ref"),
        "lane": body.get("lane") or "1",
        "direction": body.get("direction") or "in",
        "source": "json",
    }


def normalise_camera(body, *, now_ms):
    """One sighting dict from either payload shape."""
    read = (
        from_vzenith(body["AlarmInfoPlate"], now_ms=now_ms)
        if body.get("AlarmInfoPlate")
        else from_ours(body, now_ms=now_ms)
    )
    if read["direction"] not in ("in", "out"):
        raise field_error("direction", "in or out")
    if read["plate_color"] is not None and read["plate_color"] not in PLATE_COLOURS:
        raise field_error("plate_color", f"one of {', '.join(PLATE_COLOURS)}")
    return read

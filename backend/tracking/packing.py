"""How fixes are packed into per-vehicle minute items: the minute of a fix and a fix as one short string."""

from typing import NamedTuple

BUCKET_MS = 60_000
_NONE = "-"


class StoredFix(NamedTuple):
    """A fix as stored: what the track, the gate and the tests read back."""

    vehicle_id: str
    at_ms: int
    lon: float
    lat: float
    speed_kmh: float | None
    course: float | None
    accuracy_m: float | None
    source: str


def minute_of(at_ms):
    """The start of the minute item a fix belongs to."""
    return at_ms - at_ms % BUCKET_MS


def _number(value):
    return _NONE if value is None else repr(float(value))


def pack(fix):
    """A fix's values as "lon lat speed course accuracy source": a string costs a third of a typed list's bytes,
    and write units are billed by the size of the item each append rewrites."""
    values = [fix["lon"], fix["lat"], fix.get("speed_kmh"), fix.get("course"), fix.get("accuracy_m")]
    return " ".join([_number(v) for v in values] + [fix["source"]])


def _optional(text):
    return None if text == _NONE else float(text)


def unpack(vehicle_id, key, packed):
    """The StoredFix of one map entry ("<at_ms>": packed)."""
    lon, lat, speed, course, accuracy, source = packed.split(" ")
    return StoredFix(
        vehicle_id, int(key), float(lon), float(lat), _optional(speed), _optional(course), _optional(accuracy), source
    )

"""Fake-plate (套牌) risk features for one gate sighting, shared by training and the backend.

Pure standard library on purpose: this module runs in the Lambda request path, and the
training script imports the very same functions, so the two cannot drift.

Conventions: times are UTC epoch milliseconds, distances metres, positions GeoJSON
``[lon, lat]``. A value that cannot be known stays ``float('nan')`` -- never 0, because 0
is a real, reassuring value (0 m away, 0 kg off) and the model must see the difference.

Input shapes (plain dicts; extra keys are ignored):

- ``sighting``: ``{"plate": str, "gate_id": str, "ts": int, "plate_colour": str | None,
  "vehicle_colour": str | None, "vehicle_type": str | None, "confidence": float | None
  (0-100), "tare_kg": int | None}`` -- ``tare_kg`` is the empty weighing that followed this
  entry, present only when the sighting is (re-)scored after the tare.
- ``gate``: ``{"gate_id": str, "site_id": str, "lonlat": [lon, lat]}``.
- ``registered_vehicle``: ``{"plate": str, "plate_colour": str, "vehicle_colour": str,
  "vehicle_type": str, "tare_kg": int | None}`` or ``None`` (unknown plate: a hard rule).
- ``last_fix``: the registered truck's latest GPS fix received by the sighting time,
  ``{"ts": int, "lonlat": [lon, lat]}`` or ``None``.
- ``previous_sighting``: the plate's latest earlier sighting at a *different* gate,
  ``{"ts": int, "gate_id": str, "lonlat": [lon, lat]}`` or ``None``.
- ``recent_sightings``: the plate's earlier sightings, ``[{"ts": int, "gate_id": str}, ...]``;
  only those within 6 h before the sighting count.
- ``recent_tares``: the plate's earlier tare weighings in kg, newest last (may be empty).
- ``lookalike_nearby``: ``True`` when a registered plate from ``lookalike_variants(plate)``
  has a fresh fix near the gate or was just sighted there -- compute it with
  ``lookalike_at_gate``; ``None`` when not checked.
- ``active_waybill_at_mine``: whether the plate holds an active waybill at this gate's
  site; ``None`` when unknown.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from backend.common.geo import haversine_m

NAN = float("nan")
SIX_HOURS_MS = 6 * 3600 * 1000
# GPS error plus the distance between the gate and where a queued truck's antenna sits:
# being this close to the gate needs no travel at all.
FIX_SLACK_M = 200.0
# Floors the time gap so a fix taken seconds before the read does not divide by ~0.
MIN_GAP_S = 60.0
# China has kept one UTC+8 offset without daylight saving since 1991; a fixed offset avoids
# depending on tzdata being present in the Lambda image.
SHANGHAI = timezone(timedelta(hours=8))
NIGHT_START_HOUR, NIGHT_END_HOUR = 20, 6
# A look-alike truck whose fix is this close to the gate and this fresh is "at the gate".
LOOKALIKE_NEAR_M = 1500.0
LOOKALIKE_FRESH_MS = 20 * 60_000

# Characters that ANPR cameras confuse with one another.
LOOKALIKE_GROUPS = ("8B", "0DQ", "1I", "5S", "2Z", "6G", "7T", "4A")
_LOOKALIKES = {ch: frozenset(group) - {ch} for group in LOOKALIKE_GROUPS for ch in group}

FEATURE_NAMES = [
    "fix_distance_m",
    "fix_age_s",
    "fix_implied_speed_kmh",
    "prev_sighting_implied_speed_kmh",
    "distinct_gates_6h",
    "tare_dev_registry_kg",
    "tare_dev_recent_kg",
    "vehicle_colour_mismatch",
    "vehicle_type_mismatch",
    "plate_colour_mismatch",
    "read_confidence",
    "lookalike_nearby",
    "is_night",
    "active_waybill_at_mine",
]


def implied_speed_kmh(distance_m: float, gap_ms: float, slack_m: float = 0.0) -> float:
    """Speed (km/h) needed to cover distance_m (less slack_m) in gap_ms."""
    if math.isnan(distance_m) or math.isnan(gap_ms):
        return NAN
    gap_s = max(abs(gap_ms) / 1000.0, MIN_GAP_S)
    return max(distance_m - slack_m, 0.0) / gap_s * 3.6


def lookalike_variants(plate: str) -> set[str]:
    """Plates one look-alike character swap away (8/B, 0/D, 5/S …); the province stays."""
    variants = set()
    for i in range(1, len(plate)):
        for other in _LOOKALIKES.get(plate[i], ()):
            variants.add(plate[:i] + other + plate[i + 1 :])
    return variants


def lookalike_at_gate(*, gate: dict, ts: int, fixes: list[dict | None], sightings: list[dict]) -> bool:
    """Is a look-alike registered truck at this gate now (``lookalike_nearby``)?

    ``fixes``: last fixes of the registered trucks whose plates are in
    ``lookalike_variants(plate)``; ``sightings``: those plates' recent reads
    (``{"ts", "gate_id"}``). A fresh fix near the gate or a fresh read at it counts.
    """
    for fix in fixes:
        if (
            fix
            and abs(ts - fix["ts"]) <= LOOKALIKE_FRESH_MS
            and haversine_m(fix["lonlat"], gate["lonlat"]) <= LOOKALIKE_NEAR_M
        ):
            return True
    return any(s["gate_id"] == gate["gate_id"] and abs(ts - s["ts"]) <= LOOKALIKE_FRESH_MS for s in sightings)


def is_night(ts_ms: int) -> bool:
    """True when ts_ms falls between 20:00 and 06:00 Asia/Shanghai local time."""
    hour = datetime.fromtimestamp(ts_ms / 1000, tz=SHANGHAI).hour
    return hour >= NIGHT_START_HOUR or hour < NIGHT_END_HOUR


def _flag(value: bool | None) -> float:
    return NAN if value is None else float(bool(value))


def _mismatch(seen: str | None, registered: str | None) -> float:
    # An unread or unregistered attribute is unknown, not a match.
    if not seen or not registered:
        return NAN
    return float(seen != registered)


def _fix_features(sighting: dict, gate: dict, last_fix: dict | None) -> dict[str, float]:
    if not last_fix:
        return {"fix_distance_m": NAN, "fix_age_s": NAN, "fix_implied_speed_kmh": NAN}
    distance = haversine_m(gate["lonlat"], last_fix["lonlat"])
    gap_ms = sighting["ts"] - last_fix["ts"]
    return {
        "fix_distance_m": distance,
        "fix_age_s": max(gap_ms, 0) / 1000.0,
        "fix_implied_speed_kmh": implied_speed_kmh(distance, gap_ms, FIX_SLACK_M),
    }


def _prev_sighting_speed(sighting: dict, gate: dict, previous: dict | None) -> float:
    if not previous or previous["gate_id"] == gate["gate_id"]:
        return NAN
    distance = haversine_m(gate["lonlat"], previous["lonlat"])
    return implied_speed_kmh(distance, sighting["ts"] - previous["ts"])


def _distinct_gates_6h(sighting: dict, recent_sightings: list[dict]) -> float:
    since = sighting["ts"] - SIX_HOURS_MS
    gates = {s["gate_id"] for s in recent_sightings if since <= s["ts"] <= sighting["ts"]}
    gates.add(sighting["gate_id"])
    return float(len(gates))


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _tare_features(sighting: dict, registered: dict | None, recent_tares: list[float]) -> dict[str, float]:
    tare = sighting.get("tare_kg")
    if tare is None:
        return {"tare_dev_registry_kg": NAN, "tare_dev_recent_kg": NAN}
    registered_tare = (registered or {}).get("tare_kg")
    return {
        "tare_dev_registry_kg": NAN if registered_tare is None else abs(tare - registered_tare),
        "tare_dev_recent_kg": abs(tare - _median(recent_tares)) if recent_tares else NAN,
    }


def _attribute_features(sighting: dict, registered: dict | None) -> dict[str, float]:
    reg = registered or {}
    confidence = sighting.get("confidence")
    return {
        "vehicle_colour_mismatch": _mismatch(sighting.get("vehicle_colour"), reg.get("vehicle_colour")),
        "vehicle_type_mismatch": _mismatch(sighting.get("vehicle_type"), reg.get("vehicle_type")),
        "plate_colour_mismatch": _mismatch(sighting.get("plate_colour"), reg.get("plate_colour")),
        "read_confidence": NAN if confidence is None else float(confidence),
    }


def compute_features(
    *,
    sighting: dict,
    registered_vehicle: dict | None,
    last_fix: dict | None,
    previous_sighting: dict | None,
    recent_sightings: list[dict],
    recent_tares: list[float],
    lookalike_nearby: bool | None,
    active_waybill_at_mine: bool | None,
    gate: dict,
) -> dict[str, float]:
    """Every feature in FEATURE_NAMES for one sighting, from what is known at its time."""
    features = {}
    features.update(_fix_features(sighting, gate, last_fix))
    features["prev_sighting_implied_speed_kmh"] = _prev_sighting_speed(sighting, gate, previous_sighting)
    features["distinct_gates_6h"] = _distinct_gates_6h(sighting, recent_sightings)
    features.update(_tare_features(sighting, registered_vehicle, recent_tares))
    features.update(_attribute_features(sighting, registered_vehicle))
    features["lookalike_nearby"] = _flag(lookalike_nearby)
    features["is_night"] = float(is_night(sighting["ts"]))
    features["active_waybill_at_mine"] = _flag(active_waybill_at_mine)
    return features


def to_row(features: dict[str, float]) -> list[float]:
    """The features as a list in FEATURE_NAMES order; absent keys become NaN."""
    values = (features.get(name) for name in FEATURE_NAMES)
    return [NAN if value is None else float(value) for value in values]

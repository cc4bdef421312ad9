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
- ``prior_fix``: the latest fix taken at least ``PRIOR_FIX_BACK_MS`` before ``last_fix`` (its
  motion and the terminal's reporting gap), same shape, or ``None``.
- ``has_terminal``: whether the registry lists a GPS terminal for the truck; ``None`` unknown.
- ``previous_sighting``: the plate's latest earlier sighting at a *different* gate,
  ``{"ts": int, "gate_id": str, "lonlat": [lon, lat]}`` or ``None``.
- ``recent_sightings``: the plate's earlier sightings, ``[{"ts": int, "gate_id": str,
  "vehicle_colour": str | None, "vehicle_type": str | None}, ...]``; those within 6 h count for
  the gates, the latest HISTORY_READS within HISTORY_MS for the mismatch shares.
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
# The plate's reads this far back count for the colour / type mismatch shares: one camera read
# errs often, the same mismatch on most reads of a plate does not.
HISTORY_MS = 48 * 3600 * 1000
HISTORY_READS = 20
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

# The fastest a loaded coal truck plausibly covers straight-line distance (km/h): a fix farther
# from the gate than this allows in its age is impossible for the registered truck, however
# stale; a stale fix within it is a normal drive after a GPS outage, not evidence.
MAX_PLAUSIBLE_KMH = 80.0
# The fix "before the last one" is looked up this far back: its gap to the last fix says how
# the terminal usually reports (30 s pings, or silence for hours), its offset the heading.
PRIOR_FIX_BACK_MS = 10 * 60_000
HEADING_MIN_MOVE_M = 300.0  # slower than this between the two fixes: parked, no heading
HEADING_NEAR_GATE_M = 1500.0  # already at the gate: heading says nothing

# How ANPR cameras confuse characters: the relative chance that a misread character comes
# out as the other one (symmetric). Digit↔letter and digit↔digit confusions both happen.
CONFUSIONS = {
    ("8", "B"): 0.20,
    ("0", "D"): 0.20,
    ("0", "Q"): 0.08,
    ("D", "Q"): 0.06,
    ("5", "S"): 0.12,
    ("2", "Z"): 0.12,
    ("6", "G"): 0.08,
    ("7", "T"): 0.06,
    ("4", "A"): 0.05,
    ("1", "J"): 0.03,
    ("3", "8"): 0.14,
    ("6", "8"): 0.12,
    ("1", "7"): 0.12,
    ("0", "8"): 0.10,
    ("5", "6"): 0.08,
    ("2", "7"): 0.06,
    ("9", "8"): 0.06,
    ("0", "9"): 0.04,
    ("B", "E"): 0.04,
    ("C", "G"): 0.04,
    ("H", "N"): 0.03,
    ("U", "V"): 0.03,
}
# Kept for callers that name the look-alike groups (the pairs above, as strings).
LOOKALIKE_GROUPS = tuple(a + b for a, b in CONFUSIONS)
_CONFUSABLE: dict[str, dict[str, float]] = {}
for (_a, _b), _p in CONFUSIONS.items():
    _CONFUSABLE.setdefault(_a, {})[_b] = _p
    _CONFUSABLE.setdefault(_b, {})[_a] = _p
_LOOKALIKES = {ch: frozenset(others) for ch, others in _CONFUSABLE.items()}
# Candidate generation stays bounded: at most this many substitutions, each candidate's
# confusion weight (product over substitutions) above the floor, and at most this many.
MAX_SUBSTITUTIONS = 2
CANDIDATE_FLOOR = 0.0005
MAX_CANDIDATES = 100

FEATURE_NAMES = [
    "fix_distance_m",
    "fix_age_s",
    "fix_implied_speed_kmh",
    "fix_excess_km",
    "fix_heading_cos",
    "fix_report_gap_s",
    "has_terminal",
    "prev_sighting_implied_speed_kmh",
    "prev_sighting_excess_km",
    "distinct_gates_6h",
    "tare_dev_registry_kg",
    "tare_dev_recent_kg",
    "tare_history_dev_kg",
    "tare_history_closest_kg",
    "colour_mismatch_share",
    "type_mismatch_share",
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


def excess_km(distance_m: float, gap_ms: float, slack_m: float = 0.0) -> float:
    """Kilometres beyond what MAX_PLAUSIBLE_KMH covers in gap_ms (0 = a plausible drive)."""
    if math.isnan(distance_m) or math.isnan(gap_ms):
        return NAN
    reach_m = MAX_PLAUSIBLE_KMH / 3.6 * max(abs(gap_ms) / 1000.0, MIN_GAP_S)
    return max(distance_m - slack_m - reach_m, 0.0) / 1000.0


def lookalike_variants(plate: str) -> set[str]:
    """Plates one confusable character swap away (8/B, 3/8, 0/D …); the province stays."""
    variants = set()
    for i in range(1, len(plate)):
        for other in _LOOKALIKES.get(plate[i], ()):
            variants.add(plate[:i] + other + plate[i + 1 :])
    return variants


def misread_candidates(plate: str) -> dict[str, float]:
    """{plate the camera may have misread as ``plate``: confusion weight}, bounded.

    Up to MAX_SUBSTITUTIONS confusable swaps (province kept), weight the product of the swaps'
    confusion weights, kept above CANDIDATE_FLOOR; every single swap, then the likeliest double
    swaps, MAX_CANDIDATES in all.
    """
    found: dict[str, float] = {}
    single: set[str] = set()
    frontier = {plate: 1.0}
    for depth in range(MAX_SUBSTITUTIONS):
        grown = {}
        for base, weight in frontier.items():
            for i in range(1, len(base)):
                if base[i] != plate[i]:
                    continue  # each position is swapped at most once
                for other, p in _CONFUSABLE.get(base[i], {}).items():
                    w = weight * p
                    if w >= CANDIDATE_FLOOR:
                        variant = base[:i] + other + base[i + 1 :]
                        if variant != plate and w > grown.get(variant, 0.0):
                            grown[variant] = w
        for variant, w in grown.items():
            found[variant] = max(found.get(variant, 0.0), w)
            if depth == 0:
                single.add(variant)
        frontier = grown
    # Every single swap first (one BatchGet holds 100 keys), then the likeliest double swaps.
    ranked = sorted(found.items(), key=lambda kv: (kv[0] not in single, -kv[1], kv[0]))[:MAX_CANDIDATES]
    return dict(ranked)


def lookalike_at_gate(
    *, gate: dict, ts: int, fixes: list[dict | None], sightings: list[dict], booked: list[bool] = ()
) -> bool:
    """Is a look-alike registered truck at this gate now (``lookalike_nearby``)?

    ``fixes``: last fixes of the registered trucks whose plates are in
    ``lookalike_variants(plate)``; ``sightings``: those plates' recent reads
    (``{"ts", "gate_id"}``); ``booked``: whether each holds an active waybill at this site.
    A fresh fix near the gate, a fresh read at it or a booking here counts.
    """
    if any(booked):
        return True
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


def _heading_cos(gate: dict, last_fix: dict, prior_fix: dict | None, distance_m: float) -> float:
    """Cosine between the truck's last motion and the way to the gate (1 = driving at it)."""
    if not prior_fix or distance_m <= HEADING_NEAR_GATE_M:
        return NAN
    if haversine_m(prior_fix["lonlat"], last_fix["lonlat"]) < HEADING_MIN_MOVE_M:
        return NAN
    lat_scale = math.cos(math.radians(last_fix["lonlat"][1]))
    move = (
        (last_fix["lonlat"][0] - prior_fix["lonlat"][0]) * lat_scale,
        last_fix["lonlat"][1] - prior_fix["lonlat"][1],
    )
    way = ((gate["lonlat"][0] - last_fix["lonlat"][0]) * lat_scale, gate["lonlat"][1] - last_fix["lonlat"][1])
    norm = math.hypot(*move) * math.hypot(*way)
    return NAN if norm == 0 else (move[0] * way[0] + move[1] * way[1]) / norm


def _fix_features(sighting: dict, gate: dict, last_fix: dict | None, prior_fix: dict | None) -> dict[str, float]:
    if not last_fix:
        names = ("fix_distance_m", "fix_age_s", "fix_implied_speed_kmh", "fix_excess_km", "fix_heading_cos")
        return {name: NAN for name in names} | {"fix_report_gap_s": NAN}
    distance = haversine_m(gate["lonlat"], last_fix["lonlat"])
    gap_ms = sighting["ts"] - last_fix["ts"]
    return {
        "fix_distance_m": distance,
        "fix_age_s": max(gap_ms, 0) / 1000.0,
        "fix_implied_speed_kmh": implied_speed_kmh(distance, gap_ms, FIX_SLACK_M),
        "fix_excess_km": excess_km(distance, gap_ms, FIX_SLACK_M),
        "fix_heading_cos": _heading_cos(gate, last_fix, prior_fix, distance),
        "fix_report_gap_s": NAN if not prior_fix else max(last_fix["ts"] - prior_fix["ts"], 0) / 1000.0,
    }


def _prev_sighting(sighting: dict, gate: dict, previous: dict | None) -> dict[str, float]:
    if not previous or previous["gate_id"] == gate["gate_id"]:
        return {"prev_sighting_implied_speed_kmh": NAN, "prev_sighting_excess_km": NAN}
    distance = haversine_m(gate["lonlat"], previous["lonlat"])
    gap_ms = sighting["ts"] - previous["ts"]
    return {
        "prev_sighting_implied_speed_kmh": implied_speed_kmh(distance, gap_ms),
        "prev_sighting_excess_km": excess_km(distance, gap_ms),
    }


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
    registered_tare = (registered or {}).get("tare_kg")
    # The plate's weighing history against the registry: a clone's own tare shows on every
    # weighing, even when this sighting is scored before its own.
    # The closest of them: an honest truck matches its registered tare whenever it pulls its
    # usual trailer, however often it swaps; a clone's own tare never does.
    known = bool(recent_tares) and registered_tare is not None
    history = {
        "tare_history_dev_kg": abs(_median(recent_tares) - registered_tare) if known else NAN,
        "tare_history_closest_kg": min(abs(t - registered_tare) for t in recent_tares) if known else NAN,
    }
    if tare is None:
        return {"tare_dev_registry_kg": NAN, "tare_dev_recent_kg": NAN, **history}
    return {
        **history,
        "tare_dev_registry_kg": NAN if registered_tare is None else abs(tare - registered_tare),
        "tare_dev_recent_kg": abs(tare - _median(recent_tares)) if recent_tares else NAN,
    }


def _mismatch_share(key: str, sighting: dict, registered: dict | None, recent: list[dict]) -> float:
    """Share of the plate's reads (this one and recent ones) whose camera attribute differs from the registry."""
    since = sighting["ts"] - HISTORY_MS
    reads = [sighting] + [s for s in recent if since <= s["ts"] <= sighting["ts"]][-HISTORY_READS:]
    flags = [_mismatch(s.get(key), (registered or {}).get(key)) for s in reads]
    known = [f for f in flags if not math.isnan(f)]
    return sum(known) / len(known) if known else NAN


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
    prior_fix: dict | None = None,
    has_terminal: bool | None = None,
) -> dict[str, float]:
    """Every feature in FEATURE_NAMES for one sighting, from what is known at its time."""
    features = {}
    features.update(_fix_features(sighting, gate, last_fix, prior_fix))
    features["has_terminal"] = _flag(has_terminal)
    features.update(_prev_sighting(sighting, gate, previous_sighting))
    features["distinct_gates_6h"] = _distinct_gates_6h(sighting, recent_sightings)
    features.update(_tare_features(sighting, registered_vehicle, recent_tares))
    features.update(_attribute_features(sighting, registered_vehicle))
    features["colour_mismatch_share"] = _mismatch_share(
        "vehicle_colour", sighting, registered_vehicle, recent_sightings
    )
    features["type_mismatch_share"] = _mismatch_share("vehicle_type", sighting, registered_vehicle, recent_sightings)
    features["lookalike_nearby"] = _flag(lookalike_nearby)
    features["is_night"] = float(is_night(sighting["ts"]))
    features["active_waybill_at_mine"] = _flag(active_waybill_at_mine)
    return {name: features[name] for name in FEATURE_NAMES}


def to_row(features: dict[str, float]) -> list[float]:
    """The features as a list in FEATURE_NAMES order; absent keys become NaN."""
    values = (features.get(name) for name in FEATURE_NAMES)
    return [NAN if value is None else float(value) for value in values]

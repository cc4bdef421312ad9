"""Is an unknown plate read a camera misread of a registered truck? Pure, shared by serving and the generator.

The candidates come from ``features.misread_candidates(read)`` (confusion-weighted swaps); the
caller looks up which are registered (one batched read) and, for those few, what the site knows:
is the truck's GPS at this gate now, does it hold a booking here, or is it provably elsewhere.
"""

from __future__ import annotations

from backend.common.geo import haversine_m
from backend.risk.features import FIX_SLACK_M, excess_km

AT_GATE_M = 2_000.0  # a fix this close to the gate ...
AT_GATE_FRESH_MS = 30 * 60_000  # ... and this fresh puts the truck at the gate
# Evidence multiplies the confusion weight: the truck's own GPS at the gate or its booking here
# make the misread near certain; a fix that rules the gate out makes it implausible.
AT_GATE_FACTOR = 20.0
BOOKED_FACTOR = 8.0
ELSEWHERE_FACTOR = 0.001
# Resolve when the best candidate's support reaches this and beats the runner-up this many times.
# A read one or two confusions from a registered plate, with nothing against it, is far likelier
# a misread than an unregistered truck: the floor only keeps out candidates the GPS rules out.
RESOLVE_MIN_SUPPORT = 0.0005
RESOLVE_MARGIN = 3.0
MAX_EVALUATED = 5  # registered candidates looked at (each costs a few reads), likeliest first


def candidate_evidence(*, gate: dict, ts: int, last_fix: dict | None, booked_here: bool) -> dict:
    """What the site knows about one registered candidate truck at the read's time."""
    at_gate = elsewhere = False
    if last_fix:
        distance = haversine_m(last_fix["lonlat"], gate["lonlat"])
        fresh = 0 <= ts - last_fix["ts"] <= AT_GATE_FRESH_MS
        at_gate = fresh and distance <= AT_GATE_M
        elsewhere = excess_km(distance, ts - last_fix["ts"], FIX_SLACK_M) > 0
    return {"gps_at_gate": at_gate, "gps_elsewhere": elsewhere, "booked_here": bool(booked_here)}


def support(weight: float, evidence: dict) -> float:
    """The confusion weight scaled by the site's evidence for that truck."""
    factor = 1.0
    if evidence["gps_at_gate"]:
        factor *= AT_GATE_FACTOR
    if evidence["booked_here"]:
        factor *= BOOKED_FACTOR
    if evidence["gps_elsewhere"]:
        factor *= ELSEWHERE_FACTOR
    return weight * factor


def resolve(weighted: dict[str, float], evidence: dict[str, dict]) -> dict | None:
    """{"plate", "support", "weight", "evidence", "runner_up"} of the truck the read most likely names, or None.

    ``weighted``: {registered candidate plate: confusion weight}; ``evidence``: per plate, from
    candidate_evidence. None when no candidate is strong enough or two are too close to call.
    """
    ranked = sorted(((support(w, evidence[p]), p) for p, w in weighted.items() if p in evidence), reverse=True)
    if not ranked or ranked[0][0] < RESOLVE_MIN_SUPPORT:
        return None
    best, plate = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    if runner_up * RESOLVE_MARGIN > best:
        return None
    return {
        "plate": plate,
        "support": round(best, 6),
        "weight": round(weighted[plate], 6),
        "evidence": evidence[plate],
        "runner_up": round(runner_up, 6),
    }


def likeliest_registered(candidates: dict[str, float], registered: set[str] | dict) -> dict[str, float]:
    """The registered candidates, likeliest MAX_EVALUATED first."""
    found = sorted(((w, p) for p, w in candidates.items() if p in registered), reverse=True)[:MAX_EVALUATED]
    return {p: w for w, p in found}

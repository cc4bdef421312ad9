"""Per-world rates drawn from ranges: a *family* of worlds, so the model never learns one world's constants.

``TRAINING`` is the family the model is fitted on; ``HELD_OUT`` draws every rate from a wider
range (and some outside the training range altogether) and is used only for evaluation. Every
range is an assumption about Shenmu-area coal haulage, not a measurement.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields

from backend.risk.features import CONFUSIONS


@dataclass(frozen=True)
class Rates:
    """The rates of one world (see RANGES for what each means)."""

    n_trucks: int
    blind_chance: float  # a drive has a GPS outage (pings uploaded when it ends)
    blind_max_min: float  # longest outage (minutes)
    blind_through_gate: float  # share of outages still running when the truck reaches the gate
    silent_blind_factor: float  # "silent" terminals have this many times more outages
    dead_share: float  # terminals that die at some point
    none_share: float  # registered trucks with no terminal at all
    silent_share: float  # terminals that send nothing while parked
    ping_s: float  # fix interval while driving
    heartbeat_min: float  # fix interval while parked (healthy terminals)
    drift_share: float  # fixes kilometres off (multipath)
    misread_day: float  # plate misread chance by day
    night_factor: float  # misreads are this many times likelier at night
    confusion_noise: float  # log-normal sigma applied to each confusion weight
    plate_colour_error: float
    vehicle_colour_error: float
    vehicle_type_error: float
    dormant_clone_share: float  # of trucks: clones copying a parked truck's plate
    twin_clone_share: float  # of trucks: clones copying an active truck (same model, colour)
    clone_keep_colour: float  # a dormant-clone repaints to match this often
    clone_keep_type: float
    clone_tare_sd: float  # kg: how far a dormant clone's tare is from the original's
    twin_tare_sd: float
    trailer_swap: float  # a truck has a second trailer
    trailer_sd: float
    night_activity: float  # chance a truck keeps driving at night rather than waiting for 06:00
    honest_waybill: float  # honest sightings holding a waybill at the site
    clone_waybill: float
    sibling_share: float  # plates one confusable swap from another registered plate
    tare_scored_share: float  # sightings (re-)scored after the empty weighing


RANGES = {  # training family: (low, high)
    "n_trucks": (500, 900),
    "blind_chance": (0.05, 0.25),
    "blind_max_min": (20, 60),
    "blind_through_gate": (0.1, 0.5),
    "silent_blind_factor": (2, 4),
    "dead_share": (0.02, 0.10),
    "none_share": (0.01, 0.05),
    "silent_share": (0.03, 0.12),
    "ping_s": (15, 60),
    "heartbeat_min": (10, 30),
    "drift_share": (0.001, 0.005),
    "misread_day": (0.005, 0.03),
    "night_factor": (2, 4),
    "confusion_noise": (0.2, 0.6),
    "plate_colour_error": (0.002, 0.02),
    "vehicle_colour_error": (0.02, 0.08),
    "vehicle_type_error": (0.01, 0.05),
    "dormant_clone_share": (0.01, 0.03),
    "twin_clone_share": (0.005, 0.02),
    "clone_keep_colour": (0.4, 0.8),
    "clone_keep_type": (0.7, 0.95),
    "clone_tare_sd": (1000, 2500),
    "twin_tare_sd": (400, 1000),
    "trailer_swap": (0.1, 0.5),
    "trailer_sd": (800, 1500),
    "night_activity": (0.5, 1.0),
    "honest_waybill": (0.8, 0.95),
    "clone_waybill": (0.15, 0.45),
    "sibling_share": (0.1, 0.35),
    "tare_scored_share": (0.4, 0.8),
}
WIDE = {  # held-out family: wider on every side that can widen
    "n_trucks": (400, 1200),
    "blind_chance": (0.02, 0.45),
    "blind_max_min": (10, 120),
    "blind_through_gate": (0.05, 0.7),
    "silent_blind_factor": (1.5, 6),
    "dead_share": (0.0, 0.18),
    "none_share": (0.0, 0.10),
    "silent_share": (0.0, 0.20),
    "ping_s": (10, 120),
    "heartbeat_min": (5, 60),
    "drift_share": (0.0, 0.01),
    "misread_day": (0.002, 0.06),
    "night_factor": (1.5, 6),
    "confusion_noise": (0.1, 1.0),
    "plate_colour_error": (0.0, 0.05),
    "vehicle_colour_error": (0.01, 0.15),
    "vehicle_type_error": (0.0, 0.10),
    "dormant_clone_share": (0.005, 0.05),
    "twin_clone_share": (0.002, 0.03),
    "clone_keep_colour": (0.2, 0.95),
    "clone_keep_type": (0.5, 1.0),
    "clone_tare_sd": (600, 3500),
    "twin_tare_sd": (200, 1500),
    "trailer_swap": (0.0, 0.7),
    "trailer_sd": (500, 2000),
    "night_activity": (0.2, 1.0),
    "honest_waybill": (0.6, 0.98),
    "clone_waybill": (0.05, 0.6),
    "sibling_share": (0.05, 0.5),
    "tare_scored_share": (0.2, 0.9),
}
FAMILIES = {"training": RANGES, "held_out": WIDE}
_INTEGER = {"n_trucks"}


def draw_rates(rng: random.Random, family: str = "training") -> Rates:
    """One world's rates, each uniform in its family's range."""
    ranges = FAMILIES[family]
    values = {}
    for f in fields(Rates):
        low, high = ranges[f.name]
        values[f.name] = rng.randint(low, high) if f.name in _INTEGER else rng.uniform(low, high)
    return Rates(**values)


def confusion_table(rng: random.Random, noise: float) -> dict[tuple[str, str], float]:
    """This world's cameras: the shared confusion weights, each scaled by log-normal noise."""
    return {pair: weight * rng.lognormvariate(0.0, noise) for pair, weight in sorted(CONFUSIONS.items())}


def middle(family: str = "training", **overrides) -> Rates:
    """Rates at the middle of each range (tests and small demos)."""
    ranges = FAMILIES[family]
    values = {
        f.name: (int((ranges[f.name][0] + ranges[f.name][1]) / 2) if f.name in _INTEGER else sum(ranges[f.name]) / 2)
        for f in fields(Rates)
    }
    return Rates(**(values | overrides))

"""Gate cameras and weighbridges of the synthetic world, and the history the platform keeps.

Sightings are observed in time order; each one is turned into ``compute_features`` inputs
from the history *before* it (earlier reads, earlier tares, fixes already uploaded) and only
then added to that history, which is what keeps the labels free of leakage.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from backend.risk.features import LOOKALIKE_GROUPS, SIX_HOURS_MS, is_night, lookalike_at_gate, lookalike_variants
from ml_models.fake_plate import fleet
from ml_models.fake_plate.fleet import Site, Truck

PLATE_COLOURS = ["yellow", "yellow_green", "blue"]
VEHICLE_TYPES = sorted({m[1] for m in fleet.MODELS})
SCORED_AFTER_TARE_SHARE = 0.6  # sightings (re-)scored once the empty weighing is in


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


class GateLog:
    """Reads plates at gates and keeps the per-plate history the platform would hold."""

    def __init__(self, rng: random.Random, trucks: list[Truck], registry: dict[str, int]):
        self.rng = rng
        self.trucks = trucks
        self.registry = registry
        self.sightings = defaultdict(list)  # read plate → [{"ts", "gate_id", "lonlat"}]
        self.tares = defaultdict(list)  # read plate → [kg], oldest first
        self.stats = Counter()

    def observe(self, ts: int, truck: Truck, site: Site) -> dict | None:
        """Log one truck passing one gate; the labelled record, or None for unknown plates."""
        night = is_night(ts)
        plate, misread = self._read_plate(truck.plate, night)
        gate = {"gate_id": site.gate_id, "site_id": site.site_id, "lonlat": site.lonlat}
        tare = self._weigh(truck) if site.kind == "mine" else None
        sighting = self._sighting(ts, truck, plate, gate, misread, night)
        if tare is not None and self.rng.random() < SCORED_AFTER_TARE_SHARE:
            sighting["tare_kg"] = tare
        record = None
        if plate in self.registry:
            record = self._record(sighting, truck, gate, misread)
        self._count(truck, misread, record)
        self._remember(plate, gate, ts, tare)
        return record

    def _read_plate(self, plate: str, night: bool) -> tuple[str, bool]:
        # Misreads swap one look-alike character; cameras struggle more under headlights.
        if self.rng.random() >= (0.05 if night else 0.015):
            return plate, False
        swaps = [
            (i, other)
            for i, ch in enumerate(plate)
            if i >= 2
            for group in LOOKALIKE_GROUPS
            if ch in group
            for other in group
            if other != ch
        ]
        if not swaps:
            return plate, False
        i, other = self.rng.choice(swaps)
        return plate[:i] + other + plate[i + 1 :], True

    def _read_attribute(self, value: str, options: list[str], wrong_chance: float) -> str | None:
        roll = self.rng.random()
        if roll < 0.03:
            return None  # the camera did not report it
        if roll < 0.03 + wrong_chance:
            return self.rng.choice([o for o in options if o != value])
        return value

    def _sighting(self, ts: int, truck: Truck, plate: str, gate: dict, misread: bool, night: bool) -> dict:
        if misread:
            confidence = self.rng.gauss(78, 9)
        else:
            confidence = self.rng.gauss(87, 6) if night else self.rng.gauss(93, 3)
        return {
            "plate": plate,
            "gate_id": gate["gate_id"],
            "ts": ts,
            "plate_colour": self._read_attribute(truck.plate_colour, PLATE_COLOURS, 0.01),
            "vehicle_colour": self._read_attribute(truck.vehicle_colour, fleet.COLOURS, 0.12 if night else 0.04),
            "vehicle_type": self._read_attribute(truck.vehicle_type, VEHICLE_TYPES, 0.03),
            "confidence": round(_clip(confidence, 40, 100)),
            "tare_kg": None,
        }

    def _weigh(self, truck: Truck) -> int:
        """The empty weighing: the truck's tare with today's trailer plus scale noise."""
        offsets = truck.trailer_offsets
        trailer = offsets[0] if self.rng.random() < 0.7 else self.rng.choice(offsets)
        return int(round((truck.tare_kg + trailer + self.rng.gauss(0, 30)) / 20) * 20)

    def _record(self, sighting: dict, truck: Truck, gate: dict, misread: bool) -> dict:
        plate, ts = sighting["plate"], sighting["ts"]
        registered = self.trucks[self.registry[plate]]
        inputs = {
            "sighting": sighting,
            "registered_vehicle": {
                "plate": registered.plate,
                "plate_colour": registered.plate_colour,
                "vehicle_colour": registered.vehicle_colour,
                "vehicle_type": registered.vehicle_type,
                "tare_kg": registered.tare_kg,
            },
            "last_fix": fleet.known_fix(registered, ts),
            "previous_sighting": self._previous_elsewhere(plate, gate["gate_id"]),
            "recent_sightings": self._recent(plate, ts),
            "recent_tares": self.tares[plate][-5:],
            "lookalike_nearby": self._lookalike_nearby(plate, gate, ts),
            "active_waybill_at_mine": self._has_waybill(truck, misread),
            "gate": gate,
        }
        return {
            "inputs": inputs,
            "label": int(truck.clone_of is not None),
            "plate": plate,
            "vehicle": truck.idx,
            "misread": misread,
            "clone_kind": truck.clone_kind,
            "ts": ts,
        }

    def _previous_elsewhere(self, plate: str, gate_id: str) -> dict | None:
        for earlier in reversed(self.sightings[plate][-20:]):
            if earlier["gate_id"] != gate_id:
                return earlier
        return None

    def _recent(self, plate: str, ts: int) -> list[dict]:
        since = ts - SIX_HOURS_MS
        return [{"ts": s["ts"], "gate_id": s["gate_id"]} for s in self.sightings[plate][-30:] if s["ts"] >= since]

    def _lookalike_nearby(self, plate: str, gate: dict, ts: int) -> bool:
        """Is a registered look-alike plate at this gate now (fresh fix or a fresh read)?"""
        for variant in lookalike_variants(plate):
            if variant in self.registry and lookalike_at_gate(
                gate=gate,
                ts=ts,
                fixes=[fleet.known_fix(self.trucks[self.registry[variant]], ts)],
                sightings=self.sightings[variant][-3:],
            ):
                return True
        return False

    def _has_waybill(self, truck: Truck, misread: bool) -> bool:
        # Clones mostly haul off the books; a misread names a truck booked elsewhere.
        if truck.clone_of is not None:
            chance = 0.3
        else:
            chance = 0.15 if misread else 0.9
        return self.rng.random() < chance

    def _remember(self, plate: str, gate: dict, ts: int, tare: int | None):
        self.sightings[plate].append({"ts": ts, "gate_id": gate["gate_id"], "lonlat": gate["lonlat"]})
        if tare is not None:
            self.tares[plate].append(tare)

    def _count(self, truck: Truck, misread: bool, record: dict | None):
        self.stats["sightings"] += 1
        self.stats["misreads"] += misread
        self.stats["unknown_plate_reads"] += record is None
        if record is not None:
            self.stats["misreads_of_registered_plates"] += misread
            self.stats["clone_sightings"] += truck.clone_of is not None

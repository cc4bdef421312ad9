"""Gate cameras and weighbridges of the synthetic world, and the history the platform keeps.

Sightings are observed in time order; each one is turned into ``compute_features`` inputs
from the history *before* it (earlier reads, earlier tares, fixes already uploaded) and only
then added to that history, which is what keeps the labels free of leakage.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from backend.risk import misread as misread_rules
from backend.risk.features import (
    HISTORY_MS,
    HISTORY_READS,
    PRIOR_FIX_BACK_MS,
    is_night,
    lookalike_at_gate,
    lookalike_variants,
    misread_candidates,
)
from ml_models.fake_plate import fleet
from ml_models.fake_plate.fleet import Site, Truck
from ml_models.fake_plate.rates import Rates, middle

PLATE_COLOURS = ["yellow", "yellow_green", "blue"]
VEHICLE_TYPES = sorted({m[1] for m in fleet.MODELS})
ALIVE_FIX_S = 600  # a fix younger than this at the read: the terminal counts as alive
OTHER_BOOKED_CHANCE = 0.03
RECENT_TARES = (
    10  # as backend.gate.store.recent_tares reads them  # another truck that happens to hold a booking at this site
)


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


class GateLog:
    """Reads plates at gates and keeps the per-plate history the platform would hold."""

    def __init__(
        self,
        rng: random.Random,
        trucks: list[Truck],
        registry: dict[str, int],
        *,
        rates: Rates | None = None,
        confusions: dict | None = None,
    ):
        self.rng = rng
        self.trucks = trucks
        self.registry = registry
        self.rates = rates or middle()
        self.swaps = {}  # character → ([other, ...], [weight, ...]) of this world's cameras
        for (a, b), weight in sorted((confusions or {}).items()):
            for x, y in ((a, b), (b, a)):
                self.swaps.setdefault(x, ([], []))
                self.swaps[x][0].append(y)
                self.swaps[x][1].append(weight)
        self.sightings = defaultdict(list)  # read plate → [{"ts", "gate_id", "lonlat"}]
        self.tares = defaultdict(list)  # read plate → [kg], oldest first
        self.stats = Counter()

    def observe(self, ts: int, truck: Truck, site: Site, *, counting: bool = True) -> dict | None:
        """Log one truck passing one gate; the labelled record, or None for an unexplained unknown plate."""
        night = is_night(ts)
        read, misread = self._read_plate(truck.plate, night)
        gate = {"gate_id": site.gate_id, "site_id": site.site_id, "lonlat": site.lonlat}
        tare = self._weigh(truck) if site.kind == "mine" else None
        booked = self._has_waybill(truck)
        plate, resolution = read, None
        if read not in self.registry:
            resolution = self._resolve(read, truck, gate, ts, booked)
            plate = resolution["plate"] if resolution else None
        record = None
        if plate is not None:
            sighting = self._sighting(ts, truck, plate, gate, misread, night)
            if tare is not None and self.rng.random() < self.rates.tare_scored_share:
                sighting["tare_kg"] = tare
            record = self._record(sighting, truck, gate, misread, booked)
            record["resolved_from"] = read if resolution else None
        if counting:
            self._count(truck, misread, record, resolution, read)
        if plate is not None:
            seen = record["inputs"]["sighting"] if record else {}
            self._remember(plate, gate, ts, tare, seen)
        return record

    def _resolve(self, read: str, truck: Truck, gate: dict, ts: int, booked: bool) -> dict | None:
        """The serving rule (backend.risk.misread) with what the platform would know."""
        weighted = misread_rules.likeliest_registered(misread_candidates(read), self.registry)
        evidence = {}
        for plate in weighted:
            owner = self.trucks[self.registry[plate]]
            here = booked if plate == truck.plate else self.rng.random() < OTHER_BOOKED_CHANCE
            evidence[plate] = misread_rules.candidate_evidence(
                gate=gate, ts=ts, last_fix=fleet.known_fix(owner, ts), booked_here=here
            )
        return misread_rules.resolve(weighted, evidence)

    def _read_plate(self, plate: str, night: bool) -> tuple[str, bool]:
        # Misreads swap confusable characters (this world's table); more under headlights.
        chance = self.rates.misread_day * (self.rates.night_factor if night else 1.0)
        if self.rng.random() >= chance:
            return plate, False
        read = plate
        for _ in range(2 if self.rng.random() < 0.15 else 1):
            spots = [i for i in range(2, len(read)) if read[i] in self.swaps and read[i] == plate[i]]
            if not spots:
                break
            i = self.rng.choice(spots)
            others, weights = self.swaps[read[i]]
            read = read[:i] + self.rng.choices(others, weights=weights)[0] + read[i + 1 :]
        return read, read != plate

    def _read_attribute(self, value: str, options: list[str], wrong_chance: float) -> str | None:
        roll = self.rng.random()
        if roll < 0.03:
            return None  # the camera did not report it
        if roll < 0.03 + wrong_chance:
            return self.rng.choice([o for o in options if o != value])
        return value

    def _sighting(self, ts: int, truck: Truck, plate: str, gate: dict, misread: bool, night: bool) -> dict:
        r = self.rates
        if misread:
            confidence = self.rng.gauss(78, 9)
        else:
            confidence = self.rng.gauss(87, 6) if night else self.rng.gauss(93, 3)
        return {
            "plate": plate,
            "gate_id": gate["gate_id"],
            "ts": ts,
            "plate_colour": self._read_attribute(truck.plate_colour, PLATE_COLOURS, r.plate_colour_error),
            "vehicle_colour": self._read_attribute(
                truck.vehicle_colour, fleet.COLOURS, r.vehicle_colour_error * (3 if night else 1)
            ),
            "vehicle_type": self._read_attribute(truck.vehicle_type, VEHICLE_TYPES, r.vehicle_type_error),
            "confidence": round(_clip(confidence, 40, 100)),
            "tare_kg": None,
        }

    def _weigh(self, truck: Truck) -> int:
        """The empty weighing: the truck's tare with today's trailer plus scale noise."""
        offsets = truck.trailer_offsets
        trailer = offsets[0] if self.rng.random() < 0.7 else self.rng.choice(offsets)
        return int(round((truck.tare_kg + trailer + self.rng.gauss(0, 30)) / 20) * 20)

    def _record(self, sighting: dict, truck: Truck, gate: dict, misread: bool, booked: bool) -> dict:
        plate, ts = sighting["plate"], sighting["ts"]
        # A read naming another registered truck carries that truck's booking, rarely here.
        booked_here = booked if plate == truck.plate else self.rng.random() < OTHER_BOOKED_CHANCE
        registered = self.trucks[self.registry[plate]]
        last_fix = fleet.known_fix(registered, ts)
        inputs = {
            "sighting": sighting,
            "registered_vehicle": {
                "plate": registered.plate,
                "plate_colour": registered.plate_colour,
                "vehicle_colour": registered.vehicle_colour,
                "vehicle_type": registered.vehicle_type,
                "tare_kg": registered.tare_kg,
            },
            "last_fix": last_fix,
            "prior_fix": fleet.prior_fix(registered, ts, last_fix, PRIOR_FIX_BACK_MS),
            "has_terminal": registered.terminal != "none",
            "previous_sighting": self._previous_elsewhere(plate, gate["gate_id"]),
            "recent_sightings": self._recent(plate, ts),
            "recent_tares": self.tares[plate][-RECENT_TARES:],
            "lookalike_nearby": self._lookalike_nearby(plate, gate, ts, truck, booked),
            "active_waybill_at_mine": booked_here,
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
            "gate_id": gate["gate_id"],
            "night": is_night(ts),
            "segment": _segment(registered, ts, last_fix),
        }

    def _previous_elsewhere(self, plate: str, gate_id: str) -> dict | None:
        for earlier in reversed(self.sightings[plate][-20:]):
            if earlier["gate_id"] != gate_id:
                return earlier
        return None

    def _recent(self, plate: str, ts: int) -> list[dict]:
        since = ts - HISTORY_MS
        return [dict(s) for s in self.sightings[plate][-HISTORY_READS:] if s["ts"] >= since]

    def _lookalike_nearby(self, plate: str, gate: dict, ts: int, truck: Truck, booked: bool) -> bool:
        """Is a registered look-alike plate at this gate now (fresh fix, fresh read, or booked here)?"""
        for variant in sorted(lookalike_variants(plate)):
            if variant not in self.registry:
                continue
            # The truck really at the gate carries its own booking; any other rarely has one here.
            booked_here = booked if variant == truck.plate else self.rng.random() < OTHER_BOOKED_CHANCE
            if lookalike_at_gate(
                gate=gate,
                ts=ts,
                fixes=[fleet.known_fix(self.trucks[self.registry[variant]], ts)],
                sightings=self.sightings[variant][-3:],
                booked=[booked_here],
            ):
                return True
        return False

    def _has_waybill(self, truck: Truck) -> bool:
        # Clones mostly haul off the books (or on the copied truck's booking).
        chance = self.rates.clone_waybill if truck.clone_of is not None else self.rates.honest_waybill
        return self.rng.random() < chance

    def _remember(self, plate: str, gate: dict, ts: int, tare: int | None, seen: dict):
        self.sightings[plate].append(
            {
                "ts": ts,
                "gate_id": gate["gate_id"],
                "lonlat": gate["lonlat"],
                "vehicle_colour": seen.get("vehicle_colour"),
                "vehicle_type": seen.get("vehicle_type"),
            }
        )
        if tare is not None:
            self.tares[plate].append(tare)

    def _count(self, truck: Truck, misread: bool, record: dict | None, resolution: dict | None, read: str):
        self.stats["sightings"] += 1
        self.stats["misreads"] += misread
        unknown = read not in self.registry
        self.stats["unknown_plate_reads"] += unknown
        if unknown and resolution is None:
            # The only unknown-plate alerts left: reads nothing explains.
            self.stats["unknown_plate_alerts"] += 1
            self.stats["unknown_plate_alerts_on_clones"] += truck.clone_of is not None
        if resolution is not None:
            self.stats["resolved_misreads"] += 1
            self.stats["resolved_to_wrong_truck"] += resolution["plate"] != truck.plate
        if record is not None:
            self.stats["misreads_of_registered_plates"] += misread and not unknown
            self.stats["clone_sightings"] += truck.clone_of is not None


def _segment(registered: Truck, ts: int, last_fix: dict | None) -> str:
    """The copied / registered truck's terminal as seen at the read: alive, stale, dead or absent."""
    if registered.terminal == "none":
        return "absent"
    if registered.dead_at_ms is not None and registered.dead_at_ms <= ts:
        return "dead"
    if last_fix is not None and ts - last_fix["ts"] <= ALIVE_FIX_S * 1000:
        return "alive"
    return "stale"

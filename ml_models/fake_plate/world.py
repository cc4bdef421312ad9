"""A seeded synthetic world of coal trucks, cloned plates (套牌) and gate cameras.

``generate_world(seed)`` returns labelled gate sightings, each carrying exactly the keyword
arguments ``backend.risk.features.compute_features`` takes, built only from what the
platform would know at the sighting time. The same seed gives the same world, byte for byte.

What it models (all rates are assumptions, not measurements; see MODEL_CARD.md):
- registered trucks with Beidou terminals: healthy, silent when parked, dead, or none;
  GPS blind zones whose pings are uploaded late;
- active trucks hauling home → mine → plant; dormant trucks parked at home;
- clones without terminals copying a dormant truck's plate (often another colour or type)
  or an active truck's plate on the same model and colour ("twin");
- camera misreads between look-alike characters, more often at night, and attribute
  misreads; tare noise from trailer swaps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from backend.risk.features import lookalike_variants
from ml_models.fake_plate import fleet
from ml_models.fake_plate.fleet import Site, Truck
from ml_models.fake_plate.gate_log import GateLog

# 2026-03-02 00:00 Asia/Shanghai: a Monday, so days start at local midnight.
WORLD_START_MS = 1_772_380_800_000
WARM_UP_DAYS = 1  # history (earlier sightings, tares) before the first labelled sighting


@dataclass(frozen=True)
class WorldConfig:
    """Sizes and rates of one synthetic world."""

    n_trucks: int = 3000
    days: int = 7
    dormant_share: float = 0.08
    dormant_clone_share: float = 0.02  # of n_trucks: clones copying a dormant truck
    twin_clone_share: float = 0.015  # clones copying an active truck, same model and colour
    # Share of plates one look-alike swap from another registered plate. Dense plate series
    # make this common in real registries, and it is what turns a misread into a false alarm.
    lookalike_sibling_share: float = 0.25


@dataclass
class World:
    seed: int
    config: WorldConfig
    sites: list[Site]
    trucks: list[Truck]
    registry: dict[str, int]  # plate → index of the registered (original) truck
    records: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def _sites() -> list[Site]:
    return [Site(i, n, "mine", ll) for i, n, ll in fleet.MINES] + [Site(i, n, "plant", ll) for i, n, ll in fleet.PLANTS]


def _sibling_plate(rng: random.Random, plates: list[str], taken: dict) -> str | None:
    """A valid plate one look-alike swap from an existing plate, or None."""
    variants = sorted(
        v
        for v in lookalike_variants(rng.choice(plates))
        if v not in taken and all(c in fleet.PLATE_CHARS for c in v[1:])
    )
    return rng.choice(variants) if variants else None


def _unique_plates(rng: random.Random, n: int, sibling_share: float) -> list[str]:
    plates, taken = [], {}
    while len(plates) < n:
        plate = None
        if plates and rng.random() < sibling_share:
            plate = _sibling_plate(rng, plates, taken)
        plate = plate or fleet.random_plate(rng)
        if plate not in taken:
            taken[plate] = True
            plates.append(plate)
    return plates


def _terminal(rng: random.Random, t_from: int, t_to: int) -> tuple[str, int | None]:
    state = fleet.weighted_choice(rng, fleet.TERMINAL_STATES)
    dead_at = rng.randint(t_from - 10 * fleet.DAY_MS, t_to) if state == "dead" else None
    return state, dead_at


def _trailers(rng: random.Random) -> list[int]:
    # Trailer swaps: the same tractor weighs differently with another trailer.
    offsets = [0]
    for chance in (0.3, 0.05):
        if rng.random() < chance:
            offsets.append(int(rng.gauss(0, 1200)))
    return offsets


def _registered_truck(rng: random.Random, idx: int, plate: str, t_from: int, t_to: int) -> Truck:
    model, vtype, base_tare = rng.choice(fleet.MODELS)
    terminal, dead_at = _terminal(rng, t_from, t_to)
    return Truck(
        idx=idx,
        plate=plate,
        plate_colour="yellow" if rng.random() < 0.95 else "yellow_green",
        vehicle_colour=rng.choice(fleet.COLOURS),
        vehicle_type=vtype,
        model=model,
        tare_kg=int(base_tare + rng.gauss(0, 400)),
        home=[rng.uniform(109.9, 110.6), rng.uniform(38.6, 39.2)],
        terminal=terminal,
        dead_at_ms=dead_at,
        trailer_offsets=_trailers(rng),
    )


def _other(rng: random.Random, options: list[str], value: str, keep_chance: float) -> str:
    if rng.random() < keep_chance:
        return value
    return rng.choice([o for o in options if o != value])


def _clone_truck(rng: random.Random, idx: int, original: Truck, kind: str) -> Truck:
    """A truck with no terminal driving under the original's plate."""
    twin = kind == "twin"
    types = sorted({m[1] for m in fleet.MODELS})
    return Truck(
        idx=idx,
        plate=original.plate,
        plate_colour=_other(rng, ["yellow", "yellow_green"], original.plate_colour, 1.0 if twin else 0.9),
        vehicle_colour=_other(rng, fleet.COLOURS, original.vehicle_colour, 1.0 if twin else 0.6),
        vehicle_type=_other(rng, types, original.vehicle_type, 1.0 if twin else 0.85),
        model=original.model,
        tare_kg=int(original.tare_kg + rng.gauss(0, 700 if twin else 1800)),
        home=[rng.uniform(109.8, 110.8), rng.uniform(38.7, 39.5)],
        terminal="none",
        clone_of=original.idx,
        clone_kind=kind,
        trailer_offsets=_trailers(rng),
    )


def _build_fleet(rng: random.Random, cfg: WorldConfig, t_from: int, t_to: int):
    plates = _unique_plates(rng, cfg.n_trucks, cfg.lookalike_sibling_share)
    trucks = [_registered_truck(rng, i, p, t_from, t_to) for i, p in enumerate(plates)]
    for truck in rng.sample(trucks, int(cfg.n_trucks * cfg.dormant_share)):
        truck.dormant = True
    dormant = [t for t in trucks if t.dormant]
    active = [t for t in trucks if not t.dormant]
    n_dormant_clones = min(int(cfg.n_trucks * cfg.dormant_clone_share), len(dormant))
    originals = [(t, "dormant") for t in rng.sample(dormant, n_dormant_clones)] + [
        (t, "twin") for t in rng.sample(active, int(cfg.n_trucks * cfg.twin_clone_share))
    ]
    for original, kind in originals:
        trucks.append(_clone_truck(rng, len(trucks), original, kind))
    return trucks, {t.plate: t.idx for t in trucks if t.clone_of is None}


def _drive_everyone(rng: random.Random, trucks: list[Truck], sites: list[Site], t_from: int, t_to: int) -> list[tuple]:
    mines = [s for s in sites if s.kind == "mine"]
    plants = [s for s in sites if s.kind == "plant"]
    habits = {}  # a twin clone works the same mines as the truck it copies
    passages = []
    for truck in trucks:
        if truck.dormant:
            fleet.park_for_good(truck, rng, t_from, t_to)
            continue
        key = truck.clone_of if truck.clone_kind == "twin" else truck.idx
        weights = habits.setdefault(key, [rng.random() ** 2 + 0.05 for _ in mines])
        passages += fleet.simulate_trips(truck, rng, mines, plants, weights, t_from, t_to)
    passages.sort(key=lambda p: (p[0], p[1]))
    return passages


def generate_world(seed: int, config: WorldConfig | None = None) -> World:
    """Build the fleet, drive it, and log labelled gate sightings; deterministic in seed."""
    cfg = config or WorldConfig()
    rng = random.Random(seed)
    t_from = WORLD_START_MS - WARM_UP_DAYS * fleet.DAY_MS
    t_to = WORLD_START_MS + cfg.days * fleet.DAY_MS
    sites = _sites()
    trucks, registry = _build_fleet(rng, cfg, t_from, t_to)
    passages = _drive_everyone(rng, trucks, sites, t_from, t_to)
    world = World(seed=seed, config=cfg, sites=sites, trucks=trucks, registry=registry)
    log = GateLog(random.Random(seed * 1_000_003 + 17), trucks, registry)
    for ts, idx, site in passages:
        record = log.observe(ts, trucks[idx], site)
        if record is not None and WORLD_START_MS <= ts < t_to:
            world.records.append(record)
    world.stats = log.stats
    return world

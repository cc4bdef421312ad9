"""A seeded synthetic world of coal trucks, cloned plates (套牌) and gate cameras.

``generate_world(seed)`` returns labelled gate sightings, each carrying exactly the keyword
arguments ``backend.risk.features.compute_features`` takes, built only from what the
platform would know at the sighting time. The same seed gives the same world, byte for byte.

Every rate comes from a ``rates.Rates`` drawn per world from a family's ranges
(``rates.draw_rates``), so training sees many worlds and evaluation worlds it never saw.

What it models (all rates are assumptions, not measurements; see MODEL_CARD.md):
- registered trucks with Beidou terminals: healthy, silent when parked, dead, or none;
  GPS blind zones whose pings are uploaded late;
- active trucks hauling home → mine → plant; dormant trucks parked at home;
- clones without terminals copying a dormant truck's plate (often another colour or type)
  or an active truck's plate on the same model and colour ("twin");
- camera misreads through a per-world confusion table (digit↔letter and digit↔digit), more
  often at night, resolved back to the registered truck where the site's evidence allows;
  attribute misreads; tare noise from trailer swaps; GPS outages that last through the gate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from backend.risk.features import lookalike_variants
from ml_models.fake_plate import fleet
from ml_models.fake_plate.fleet import Site, Truck
from ml_models.fake_plate.gate_log import GateLog
from ml_models.fake_plate.rates import Rates, confusion_table, middle

# 2026-03-02 00:00 Asia/Shanghai: a Monday, so days start at local midnight.
WORLD_START_MS = 1_772_380_800_000
WARM_UP_DAYS = 1  # history (earlier sightings, tares) before the first labelled sighting


@dataclass(frozen=True)
class WorldConfig:
    """Size of one synthetic world; its rates come from ``rates`` (default: the training family's middle)."""

    n_trucks: int = 3000
    days: int = 7
    dormant_share: float = 0.08
    rates: Rates | None = None

    def resolved_rates(self) -> Rates:
        return self.rates or middle()


@dataclass
class World:
    seed: int
    config: WorldConfig
    sites: list[Site]
    trucks: list[Truck]
    registry: dict[str, int]  # plate → index of the registered (original) truck
    records: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def gate_days(self) -> int:
        """Gates × days: the denominator of "false alerts per gate per day"."""
        return len(self.sites) * self.config.days


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


def _terminal(rng: random.Random, t_from: int, t_to: int, rates: Rates) -> tuple[str, int | None]:
    ok = max(1.0 - rates.dead_share - rates.none_share - rates.silent_share, 0.0)
    states = [("ok", ok), ("silent", rates.silent_share), ("dead", rates.dead_share), ("none", rates.none_share)]
    state = fleet.weighted_choice(rng, states)
    dead_at = rng.randint(t_from - 10 * fleet.DAY_MS, t_to) if state == "dead" else None
    return state, dead_at


def _trailers(rng: random.Random, rates: Rates) -> list[int]:
    # Trailer swaps: the same tractor weighs differently with another trailer.
    offsets = [0]
    for chance in (rates.trailer_swap, rates.trailer_swap / 6):
        if rng.random() < chance:
            offsets.append(int(rng.gauss(0, rates.trailer_sd)))
    return offsets


def _registered_truck(rng: random.Random, idx: int, plate: str, t_from: int, t_to: int, rates: Rates) -> Truck:
    model, vtype, base_tare = rng.choice(fleet.MODELS)
    terminal, dead_at = _terminal(rng, t_from, t_to, rates)
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
        trailer_offsets=_trailers(rng, rates),
        ping_ms=int(rates.ping_s * 1000),
        heartbeat_ms=int(rates.heartbeat_min * 60_000),
        drift_share=rates.drift_share,
    )


def _other(rng: random.Random, options: list[str], value: str, keep_chance: float) -> str:
    if rng.random() < keep_chance:
        return value
    return rng.choice([o for o in options if o != value])


def _clone_truck(rng: random.Random, idx: int, original: Truck, kind: str, rates: Rates) -> Truck:
    """A truck with no terminal driving under the original's plate."""
    twin = kind == "twin"
    types = sorted({m[1] for m in fleet.MODELS})
    return Truck(
        idx=idx,
        plate=original.plate,
        plate_colour=_other(rng, ["yellow", "yellow_green"], original.plate_colour, 1.0 if twin else 0.9),
        vehicle_colour=_other(rng, fleet.COLOURS, original.vehicle_colour, 1.0 if twin else rates.clone_keep_colour),
        vehicle_type=_other(rng, types, original.vehicle_type, 1.0 if twin else rates.clone_keep_type),
        model=original.model,
        tare_kg=int(original.tare_kg + rng.gauss(0, rates.twin_tare_sd if twin else rates.clone_tare_sd)),
        home=[rng.uniform(109.8, 110.8), rng.uniform(38.7, 39.5)],
        terminal="none",
        clone_of=original.idx,
        clone_kind=kind,
        trailer_offsets=_trailers(rng, rates),
    )


def _build_fleet(rng: random.Random, cfg: WorldConfig, rates: Rates, t_from: int, t_to: int):
    plates = _unique_plates(rng, cfg.n_trucks, rates.sibling_share)
    trucks = [_registered_truck(rng, i, p, t_from, t_to, rates) for i, p in enumerate(plates)]
    for truck in rng.sample(trucks, int(cfg.n_trucks * cfg.dormant_share)):
        truck.dormant = True
    dormant = [t for t in trucks if t.dormant]
    active = [t for t in trucks if not t.dormant]
    n_dormant_clones = min(max(round(cfg.n_trucks * rates.dormant_clone_share), 1), len(dormant))
    n_twins = min(max(round(cfg.n_trucks * rates.twin_clone_share), 1), len(active))
    originals = [(t, "dormant") for t in rng.sample(dormant, n_dormant_clones)] + [
        (t, "twin") for t in rng.sample(active, n_twins)
    ]
    for original, kind in originals:
        trucks.append(_clone_truck(rng, len(trucks), original, kind, rates))
    return trucks, {t.plate: t.idx for t in trucks if t.clone_of is None}


def _drive_everyone(
    rng: random.Random, trucks: list[Truck], sites: list[Site], t_from: int, t_to: int, rates: Rates
) -> list[tuple]:
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
        passages += fleet.simulate_trips(truck, rng, mines, plants, weights, t_from, t_to, rates)
    passages.sort(key=lambda p: (p[0], p[1]))
    return passages


def generate_world(seed: int, config: WorldConfig | None = None) -> World:
    """Build the fleet, drive it, and log labelled gate sightings; deterministic in seed."""
    cfg = config or WorldConfig()
    rates = cfg.resolved_rates()
    rng = random.Random(seed)
    t_from = WORLD_START_MS - WARM_UP_DAYS * fleet.DAY_MS
    t_to = WORLD_START_MS + cfg.days * fleet.DAY_MS
    sites = _sites()
    trucks, registry = _build_fleet(rng, cfg, rates, t_from, t_to)
    passages = _drive_everyone(rng, trucks, sites, t_from, t_to, rates)
    world = World(seed=seed, config=cfg, sites=sites, trucks=trucks, registry=registry)
    confusions = confusion_table(random.Random(seed * 7 + 3), rates.confusion_noise)
    log = GateLog(random.Random(seed * 1_000_003 + 17), trucks, registry, rates=rates, confusions=confusions)
    for ts, idx, site in passages:
        in_window = WORLD_START_MS <= ts < t_to
        record = log.observe(ts, trucks[idx], site, counting=in_window)
        if record is not None and in_window:
            world.records.append(record)
    world.stats = log.stats
    return world

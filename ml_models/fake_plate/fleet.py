"""Synthetic trucks, their movements and what their GPS terminals have reported by a time.

Everything is drawn from one ``random.Random`` so a seed fixes the whole fleet. A truck's
life is a contiguous list of segments (driving from A to B, or parked at A); GPS pings are
not stored but derived from the segments, so "the last fix known at time t" is a bisect,
not a scan over millions of pings.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from backend.risk.features import SHANGHAI, haversine_m, is_night

HOUR_MS = 3600 * 1000
DAY_MS = 24 * HOUR_MS
DRIVE_PING_MS = 30_000  # default: terminals report about every 30 s while the engine runs
PARK_HEARTBEAT_MS = 20 * 60_000  # and, when healthy, a heartbeat while parked (worlds draw their own)
ROAD_DETOUR = 1.3  # road distance over straight-line distance in the Shenmu hills

MINES = [  # (site_id, name, [lon, lat])
    ("hongliulin", "红柳林", [110.33, 38.93]),
    ("ningtiaota", "柠条塔", [110.27, 38.98]),
    ("xiaobaodang", "小保当", [109.80, 38.86]),
]
PLANTS = [
    ("jinjie_pp", "锦界电厂", [110.16, 38.73]),
    ("fugu_pp", "府谷电厂", [111.05, 39.05]),
    ("yuheng_pp", "榆横电厂", [109.60, 38.35]),
    ("shenmu_north_rail", "神木北集运站", [110.48, 38.86]),
]
MODELS = [  # (model, vehicle_type, base tare kg)
    ("shacman_x3000", "heavy_semitrailer_tractor", 15_600),
    ("howo_t7h", "heavy_semitrailer_tractor", 15_100),
    ("faw_j6p", "heavy_semitrailer_tractor", 14_800),
    ("dongfeng_kl", "heavy_semitrailer_tractor", 15_300),
    ("howo_dump", "heavy_dump_truck", 13_200),
]
COLOURS = ["red", "yellow", "blue", "white", "green", "orange"]
PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # mainland plates never use I or O
PROVINCES = [("陕K", 0.8), ("蒙K", 0.15), ("晋A", 0.05)]


@dataclass(frozen=True)
class Site:
    site_id: str
    name: str
    kind: str  # "mine" or "plant"
    lonlat: list[float]

    @property
    def gate_id(self) -> str:
        return f"{self.site_id}_gate"


@dataclass
class Truck:
    idx: int
    plate: str
    plate_colour: str
    vehicle_colour: str
    vehicle_type: str
    model: str
    tare_kg: int  # the truck's real tare with its usual trailer
    home: list[float]
    terminal: str  # ok | silent (no parked heartbeat, more blind zones) | dead | none
    dead_at_ms: int | None = None
    dormant: bool = False
    clone_of: int | None = None  # index of the registered truck whose plate it copies
    clone_kind: str | None = None  # "dormant" or "twin"
    trailer_offsets: list[int] = field(default_factory=lambda: [0])
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    origins: list[list[float]] = field(default_factory=list)
    targets: list[list[float]] = field(default_factory=list)
    moving: list[bool] = field(default_factory=list)
    blind_zones: list[tuple[int, int]] = field(default_factory=list)
    ping_ms: int = DRIVE_PING_MS
    heartbeat_ms: int = PARK_HEARTBEAT_MS
    drift_share: float = 1 / 300

    def add_segment(self, start: int, end: int, origin: list[float], target: list[float]):
        """Append a drive (origin != target) or a park (origin == target)."""
        self.starts.append(start)
        self.ends.append(end)
        self.origins.append(origin)
        self.targets.append(target)
        self.moving.append(origin != target)

    def position(self, ts: int) -> list[float]:
        """Where the truck physically is at ts (linear along the current segment)."""
        i = max(bisect.bisect_right(self.starts, ts) - 1, 0)
        span = max(self.ends[i] - self.starts[i], 1)
        f = min(max((ts - self.starts[i]) / span, 0.0), 1.0)
        a, b = self.origins[i], self.targets[i]
        return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]


def weighted_choice(rng: random.Random, pairs: list[tuple]) -> object:
    """Pick the first element of one (value, weight) pair."""
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def random_plate(rng: random.Random) -> str:
    """A mainland-format plate: province + city letter + 5 characters."""
    return weighted_choice(rng, PROVINCES) + "".join(rng.choice(PLATE_CHARS) for _ in range(5))


def _last_ping_at_or_before(truck: Truck, horizon: int) -> int | None:
    i = bisect.bisect_right(truck.starts, horizon) - 1
    if i < 0:
        return None
    start = truck.starts[i]
    if truck.moving[i]:
        return start + (horizon - start) // truck.ping_ms * truck.ping_ms
    if truck.terminal == "silent":  # parked: only the arrival fix
        return start
    return start + (horizon - start) // truck.heartbeat_ms * truck.heartbeat_ms


def _gps_jitter(truck: Truck, ts: int) -> tuple[float, float]:
    # Deterministic (same fix, same reading): ~±10 m noise, and a share of fixes a
    # multipath / drift outlier kilometres off, which real terminals do produce.
    h = (ts // 1000 * 2654435761 + truck.idx * 40503) % 1_000_003
    scale = 0.3 if (h % 10_007) / 10_007 < truck.drift_share else 2e-4
    return ((h % 1000) / 1000 - 0.5) * scale, ((h // 1000 % 1000) / 1000 - 0.5) * scale


def known_fix(truck: Truck, ts: int, taken_by: int | None = None) -> dict | None:
    """The latest fix the platform has received by ts (taken at or before ``taken_by``, default ts)."""
    if truck.terminal == "none":
        return None
    horizon = ts if taken_by is None else min(ts, taken_by)
    if truck.dead_at_ms is not None:
        horizon = min(horizon, truck.dead_at_ms)
    # Pings inside a blind zone are uploaded only when it ends: unknown before then.
    z = bisect.bisect_right(truck.blind_zones, (horizon, float("inf"))) - 1
    if z >= 0 and truck.blind_zones[z][0] <= horizon and truck.blind_zones[z][1] > ts:
        horizon = truck.blind_zones[z][0] - 1
    ping = _last_ping_at_or_before(truck, horizon)
    if ping is None:
        return None
    lon, lat = truck.position(ping)
    d_lon, d_lat = _gps_jitter(truck, ping)
    return {"ts": ping, "lonlat": [round(lon + d_lon, 6), round(lat + d_lat, 6)]}


def travel_ms(rng: random.Random, a: list[float], b: list[float]) -> int:
    """Driving time between two points at a loaded truck's 35–55 km/h average."""
    speed_mps = rng.uniform(35, 55) / 3.6
    return int(haversine_m(a, b) * ROAD_DETOUR / speed_mps * 1000) + 60_000


def prior_fix(truck: Truck, ts: int, last: dict | None, back_ms: int) -> dict | None:
    """The latest fix known by ts that was taken at least back_ms before ``last``."""
    return None if last is None else known_fix(truck, ts, taken_by=last["ts"] - back_ms)


def _drive(truck: Truck, rng: random.Random, t: int, origin: list[float], target: list[float], rates) -> int:
    """Add a drive segment (maybe with a GPS blind zone, maybe still running at the gate); return the arrival."""
    arrive = t + travel_ms(rng, origin, target)
    truck.add_segment(t, arrive, origin, target)
    blind_chance = rates.blind_chance * (rates.silent_blind_factor if truck.terminal == "silent" else 1.0)
    if rng.random() < min(blind_chance, 0.95):
        length = int(rng.uniform(5, max(rates.blind_max_min, 6)) * 60_000)
        if rng.random() < rates.blind_through_gate:
            # The outage (a valley, a loose antenna) lasts through the gate: an honest truck
            # arrives with a fix many minutes old and many km back; uploaded a little later.
            zone_end = arrive + rng.randint(1, 20) * 60_000
            zone_start = max(t, zone_end - length - rng.randint(0, 20) * 60_000)
        else:
            zone_start = t + int((arrive - t) * rng.uniform(0.0, 0.8))
            zone_end = min(zone_start + length, arrive)
        truck.blind_zones.append((zone_start, zone_end))
    return arrive


def _wait_for_morning(truck: Truck, rng: random.Random, t: int, pos: list[float], rates) -> int:
    """Night: some drivers wait for 06:00 local before setting off."""
    if not is_night(t) or rng.random() < rates.night_activity:
        return t
    local = datetime.fromtimestamp(t / 1000, tz=SHANGHAI)
    morning = local.replace(hour=6, minute=0, second=0, microsecond=0)
    if local.hour >= 6:
        morning += timedelta(days=1)
    return _park(truck, t, pos, (morning.timestamp() * 1000 - t) / HOUR_MS + rng.uniform(0, 1.5))


def _park(truck: Truck, t: int, where: list[float], hours: float) -> int:
    end = t + int(hours * HOUR_MS)
    truck.add_segment(t, end, where, where)
    return end


def simulate_trips(
    truck: Truck,
    rng: random.Random,
    mines: list[Site],
    plants: list[Site],
    mine_weights: list[float],
    t_from: int,
    t_to: int,
    rates,
) -> list[tuple]:
    """Drive an active truck home → mine → plant → … ; return (ts, truck idx, site) gate passages."""
    passages = []
    t = t_from + rng.randint(0, 12 * HOUR_MS)
    truck.add_segment(t_from - rng.randint(1, 48) * HOUR_MS, t, truck.home, truck.home)
    pos = truck.home
    while t < t_to:
        for site, dwell_hours in (
            (rng.choices(mines, weights=mine_weights)[0], (0.7, 3.0)),
            (rng.choice(plants), (0.5, 1.5)),
        ):
            t = _wait_for_morning(truck, rng, t, pos, rates)
            t = _drive(truck, rng, t, pos, site.lonlat, rates)
            pos = site.lonlat
            passages.append((t + rng.randint(0, 60_000), truck.idx, site))
            t = _park(truck, t, pos, rng.uniform(*dwell_hours))
        if rng.random() < 0.3:  # the driver goes home to sleep or for a day off
            t = _drive(truck, rng, t, pos, truck.home, rates)
            pos = truck.home
            t = _park(truck, t, pos, rng.uniform(6, 30))
    _park(truck, t, pos, 48)
    return passages


def park_for_good(truck: Truck, rng: random.Random, t_from: int, t_to: int):
    """A dormant truck: parked at home since days before the world starts."""
    since = t_from - rng.randint(2, 60) * DAY_MS
    truck.add_segment(since, t_to + 2 * DAY_MS, truck.home, truck.home)

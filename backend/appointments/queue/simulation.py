"""One mine day simulated for walk-up and for the platform on the same trucks, over many seeds: the engine
behind bench/queue_sim.py and the mine staff's "simulate" screen.

The platform side runs the queue's own rules (windows.planning and queue.planning, which the services use
too): the day's windows, seats from the lane cycle plus overbooking by the no-show rate, the earliest window
with room for the time the truck can be at the mine and standby for earlier full windows, arrive-by times
spread over the window, the virtual-queue order, calling ahead by drive time ÷ lane cycle (measured from
the simulated weighings), absent trucks' seats offered to standby trucks, and the lot bound.

Assumptions (`Assumptions`): trucks wish to load through the day (a morning rush, an afternoon one, a
trickle, and a backlog that wants the gate at opening); `booked` of the platform's seats are booked by them
in the order of their wishes; `no_show` of them never come (walk-up too); `on_time` come at the time they
were given, the rest off by N(0, `late_sd`) minutes; `foreseen` of no-shows and very late trucks are seen
from their position before their time; trucks drive `drive` minutes from the lot to the gate; a lane loads
one truck in about `cycle` minutes; standby trucks wait off site `standby_drive` minutes away. Walk-up:
each truck turns up at the gate when it wishes and waits for a lane.
"""

import heapq
import itertools
import random
import statistics
from dataclasses import dataclass, field

from backend.appointments.queue.planning import (
    arrive_by,
    calls_ahead,
    lane_cycle_ms,
    offer_window,
    overbooked,
    to_call,
    window_seats,
)
from backend.appointments.windows.planning import queue_order, windows_for_day

DATE = "2026-11-20"
MIN = 60_000
HOUR = 60 * MIN
GOALS = {"queue": -0.85, "area": -0.85, "wanted": 0.05, "loaded": 0.01}


_order = itertools.count()


def push(events, t, priority, kind, truck):
    """An event; ties at the same instant go by priority, then by the order they were made."""
    heapq.heappush(events, (t, priority, next(_order), kind, truck))


@dataclass(frozen=True)
class Assumptions:
    lanes: int = 4
    cycle: float = 10.0  # minutes a lane takes per truck
    open_hour: int = 6
    close_hour: int = 22
    window: int = 30  # the template's window length, minutes
    booked: float = 0.99
    no_show: float = 0.05
    on_time: float = 0.80
    late_sd: float = 20.0
    backlog: float = 0.15  # share of trucks that want the gate at opening
    drive: float = 6.0
    buffer: float = 10.0  # the platform asks trucks to reach the lot this long before their turn's drive
    standby_drive: float = 20.0
    lot_bound: int = 30
    overbook_max: float = 0.15
    # Share of no-shows and very late trucks the platform sees coming from their position. 0 by default: the server
    # does not yet act on a booked truck's position before it checks in, and the simulation claims only what it does.
    foreseen: float = 0.0
    absent_after: float = 10.0  # minutes after its time a booked truck not checked in counts as absent


@dataclass
class Truck:
    n: int
    wish: int
    comes: bool
    offset: int  # ms early (<0) or late (>0) against the time it was given
    moved: bool = False
    offered: bool = False
    seen: bool = True  # the platform sees from its position, before its time, that it will not make it
    window: int | None = None
    come_at: int | None = None
    standby: bool = False
    arrived: int | None = None
    entered: int | None = None
    loaded: int | None = None
    events: list = field(default_factory=list)


def day_start():
    return windows_for_day(DATE, day_start_hour=0, day_end_hour=24, window_minutes=60)[0][0]


def wishes(rng, count, a):
    """When each truck would like to be at the gate: backlog at opening, two rushes and a trickle."""
    base, out = day_start(), []
    for _ in range(count):
        r = rng.random()
        if r < a.backlog:
            hour = rng.uniform(a.open_hour - 2, a.open_hour)
        elif r < a.backlog + 0.45:
            hour = rng.gauss(8.5, 1.2)
        elif r < a.backlog + 0.75:
            hour = rng.gauss(14.0, 1.5)
        else:
            hour = rng.uniform(a.open_hour, a.close_hour - 1)
        out.append(base + int(min(max(hour, a.open_hour - 2), a.close_hour - 1) * HOUR))
    return sorted(out)


def make_trucks(seed, a):
    """The same trucks for both sides: wish, whether they come, and how far off their time they arrive."""
    rng = random.Random(seed)
    seats = sum(day_windows(a).values())
    trucks = []
    for n, wish in enumerate(wishes(rng, round(seats * a.booked), a)):
        comes = rng.random() >= a.no_show
        offset = 0 if rng.random() < a.on_time else int(rng.gauss(0, a.late_sd) * MIN)
        trucks.append(Truck(n, wish, comes, offset, seen=rng.random() < a.foreseen))
    return trucks, random.Random(seed * 7919 + 1)


def day_windows(a):
    """Seats sold per window start: the lanes' seats at the cycle, plus overbooking by the no-show rate."""
    seats = window_seats(lanes=a.lanes, cycle_ms=a.cycle * MIN, window_minutes=a.window)
    # Seats whose no-show is foreseen go to standby trucks; overbooking covers the rest.
    sold = overbooked(seats, rate=a.no_show * (1 - a.foreseen), max_rate=a.overbook_max)
    spans = windows_for_day(DATE, day_start_hour=a.open_hour, day_end_hour=a.close_hour, window_minutes=a.window)
    return {start: sold for start, _ in spans}


class Lanes:
    """The loading lanes and the gate in front of them, first come first served; records area occupancy."""

    def __init__(self, a, rng, events):
        self.a, self.rng, self.events = a, rng, events
        self.free, self.at_gate, self.busy_ms, self.weighings = a.lanes, [], 0, []
        self.open_ms = day_start() + a.open_hour * HOUR
        self.close_ms = day_start() + a.close_hour * HOUR
        self.area, self.area_t, self.area_sum, self.peak = 0, None, 0, 0

    def in_area(self, t, delta):
        if self.area_t is not None:
            self.area_sum += self.area * (t - self.area_t)
        self.area_t, self.area = t, self.area + delta
        self.peak = max(self.peak, self.area)

    def reach_gate(self, t, truck):
        self.at_gate.append(truck)
        self.load(t)

    def load(self, t):
        if t < self.open_ms or t >= self.close_ms:
            return
        while self.free and self.at_gate:
            truck = self.at_gate.pop(0)
            self.free -= 1
            truck.entered = t
            self.in_area(t, -1)
            service = int(max(0.4 * self.a.cycle, self.rng.gauss(self.a.cycle, self.a.cycle * 0.2)) * MIN)
            self.busy_ms += min(service, self.close_ms - t)
            truck.loaded = t + service
            push(self.events, t + service, 1, "done", truck)

    def done(self, t, truck, lane_no=0):
        self.free += 1
        self.weighings.append((t, lane_no, "gross"))
        self.load(t)

    def idle_share(self):
        return 1 - self.busy_ms / (self.a.lanes * (self.close_ms - self.open_ms))


def walk_up(trucks, rng, a):
    events = [(t.wish, 0, next(_order), "arrive", t) for t in trucks if t.comes]
    heapq.heapify(events)
    lanes = Lanes(a, rng, events)
    push(events, lanes.open_ms, 2, "open", None)
    while events:
        t, _, _, kind, truck = heapq.heappop(events)
        if kind == "arrive":
            truck.arrived = t
            lanes.in_area(t, +1)
            lanes.reach_gate(t, truck)
        elif kind == "done":
            lanes.done(t, truck)
        else:
            lanes.load(t)
    return lanes


class Platform:
    """Seats, standby, the virtual queue and the call rule, as the services apply them."""

    def __init__(self, trucks, rng, a):
        self.a, self.rng, self.trucks = a, rng, trucks
        self.sold = day_windows(a)
        self.booked = dict.fromkeys(self.sold, 0)
        self.events = []
        self.lanes = Lanes(a, rng, self.events)
        self.lot, self.outside, self.on_call, self.on_road = [], [], 0, 0
        self.standby = []  # trucks booked later than they wished, first asked first

    def book(self):
        for truck in self.trucks:  # in the order of their wishes
            free = [(s, s + self.a.window * MIN, self.sold[s] - self.booked[s]) for s in self.sold]
            chosen, earlier = offer_window(free, ready_ms=truck.wish)
            if chosen is None:
                continue
            self.take(truck, chosen[0])
            if earlier:
                truck.standby = True
                self.standby.append(truck)

    def take(self, truck, start, release=True):
        if truck.window is not None and release:
            self.booked[truck.window] -= 1
        seat = self.booked[start]
        truck.window, self.booked[start] = start, self.booked[start] + 1
        given = arrive_by(
            start_ms=start,
            seat=seat,
            seats=self.sold[start],
            window_minutes=self.a.window,
            drive_ms=(self.a.drive + self.a.buffer) * MIN,
        )
        truck.come_at = max(truck.wish, given)

    def schedule(self):
        for truck in self.trucks:
            if truck.window is not None and truck.comes:
                push(self.events, truck.come_at + truck.offset, 0, "arrive", truck)
            if truck.window is not None:
                push(self.events, truck.come_at - int((self.a.standby_drive + 5) * MIN), 3, "foresee", truck)
                push(self.events, truck.come_at + int(self.a.absent_after * MIN), 3, "absent?", truck)
        for minute in range((self.a.close_hour - self.a.open_hour + 2) * 60):
            push(self.events, self.lanes.open_ms - 2 * HOUR + minute * MIN, 4, "tick", None)

    def arrive(self, t, truck):
        if truck.arrived is not None:
            return
        truck.arrived = t
        self.lanes.in_area(t, +1)
        self.check_in(t, truck)

    def check_in(self, t, truck):
        if len(self.lot) >= self.a.lot_bound:  # the lot is full: wait outside, counted as in the area
            self.outside.append(truck)
            return
        truck.checked_in = t
        self.lot.append(truck)

    def foresee(self, t, truck):
        """Before its time the truck's position tells: a no-show or a truck far too late frees its seat now."""
        late = truck.offset > self.a.absent_after * MIN
        if truck.seen and truck.window is not None and (not truck.comes or late) and truck.arrived is None:
            truck.offered = True
            self.offer(t, truck.window, truck.come_at, keep=late)

    def absent(self, t, truck):
        """Not checked in by its time and not foreseen: its seat goes to a standby truck now."""
        if truck.arrived is None and not truck.offered and truck.window is not None and t >= truck.come_at:
            truck.offered = True
            self.offer(t, truck.window, t, keep=truck.comes)

    def offer(self, t, window, at, *, keep):
        """Give a seat at `window` (to be used at `at`) to the first standby truck that can reach it in time;
        its own later seat goes on to the next standby truck (a late truck keeps its seat: `keep`)."""
        end = window + self.a.window * MIN
        for other in self.standby:
            if other.arrived is None and other.window > window and other.wish < end and other.wish <= at:
                self.standby.remove(other)
                freed, freed_at = other.window, other.come_at
                self.take(other, window, release=True)
                other.come_at = max(at, t + int(self.a.standby_drive * MIN))
                if other.comes:
                    push(self.events, other.come_at + other.offset, 0, "arrive", other)
                other.moved = True
                if freed_at - self.a.standby_drive * MIN > t:
                    self.offer(t, freed, freed_at, keep=False)
                return

    def call(self, t):
        cycle = lane_cycle_ms(self.lanes.weighings[-40:], default_ms=self.a.cycle * MIN)
        ahead = calls_ahead(drive_ms=self.a.drive * MIN, cycle_ms=cycle, lanes=self.a.lanes)
        if t < self.lanes.open_ms - self.a.drive * MIN:
            return
        entries = [
            {"booking_id": f"{x.n:06d}", "slot_start_ms": x.window, "queue_at": x.checked_in, "truck": x}
            for x in self.lot
        ]
        count = to_call(waiting=len(entries), on_call=self.on_call + len(self.lanes.at_gate), ahead=ahead)
        for entry in queue_order(entries)[:count]:
            truck = entry["truck"]
            self.lot.remove(truck)
            self.on_call += 1
            drive = int(max(2.0, self.rng.gauss(self.a.drive, 1.0)) * MIN)
            push(self.events, t + drive, 1, "gate", truck)
        while self.outside and len(self.lot) < self.a.lot_bound:
            self.check_in(t, self.outside.pop(0))

    def run(self):
        self.book()
        self.schedule()
        while self.events:
            t, _, _, kind, truck = heapq.heappop(self.events)
            if kind == "arrive":
                self.arrive(t, truck)
            elif kind == "gate":
                self.on_call -= 1
                self.lanes.reach_gate(t, truck)
            elif kind == "done":
                self.lanes.done(t, truck)
            elif kind == "foresee":
                self.foresee(t, truck)
            elif kind == "absent?":
                self.absent(t, truck)
            else:
                self.lanes.load(t)  # trucks that reached the gate before it opened
            self.call(t)
        return self.lanes


def measure(trucks, lanes, a):
    """The figures of one side of one seed."""
    loaded = [t for t in trucks if t.entered is not None]
    span = lanes.close_ms - (lanes.open_ms - 2 * HOUR)
    return {
        "queue": statistics.mean(t.entered - t.arrived for t in loaded) / MIN,
        "area_mean": lanes.area_sum / span,
        "area_peak": lanes.peak,
        "wanted": statistics.mean(t.loaded - t.wish for t in loaded) / MIN,
        "loaded": len(loaded),
        "idle": lanes.idle_share(),
    }


def run_seed(seed, a):
    trucks, rng = make_trucks(seed, a)
    walk = measure(trucks, walk_up(trucks, rng, a), a)
    trucks, rng = make_trucks(seed, a)
    platform = Platform(trucks, rng, a)
    plat = measure(trucks, platform.run(), a)
    return walk, plat


def summary(a, seeds):
    """Means over the seeds for both sides and the goal ratios (what the API and the command report)."""
    runs = [run_seed(seed, a) for seed in range(1, seeds + 1)]
    sides = {}
    for index, name in enumerate(("walk_up", "platform")):
        sides[name] = {k: statistics.mean(r[index][k] for r in runs) for k in runs[0][index]}
    w, p = sides["walk_up"], sides["platform"]
    ratios = {
        "queue": p["queue"] / w["queue"] - 1,
        "area": p["area_mean"] / w["area_mean"] - 1,
        "area_peak": p["area_peak"] / w["area_peak"] - 1,
        "wanted": p["wanted"] / w["wanted"] - 1,
        "loaded": p["loaded"] / w["loaded"] - 1,
    }
    met = {
        "queue": ratios["queue"] <= GOALS["queue"],
        "area": ratios["area"] <= GOALS["area"],
        "wanted": ratios["wanted"] <= GOALS["wanted"],
        "loaded": abs(ratios["loaded"]) <= GOALS["loaded"] or ratios["loaded"] > 0,
    }
    return {"assumptions": a.__dict__, "seeds": seeds, **sides, "ratios": ratios, "goals_met": met}


def render(result):
    a = result["assumptions"]
    lines = [
        f"{result['seeds']} seeds; {a['lanes']} lanes × {a['cycle']:g} min a truck, {a['window']}-min windows, "
        f"{a['booked']:.0%} of seats booked, {a['no_show']:.0%} no-shows, {a['on_time']:.0%} on time "
        f"(rest N(0, {a['late_sd']:g} min)), backlog {a['backlog']:.0%}, {a['drive']:g} min from the lot, "
        f"lot bound {a['lot_bound']}",
        f"{'':<10}{'queue min':>10}{'area mean':>10}{'area peak':>10}{'wanted→loaded':>15}"
        f"{'loaded':>8}{'lane idle':>10}",
    ]
    for name in ("walk_up", "platform"):
        s = result[name]
        lines.append(
            f"{name:<10}{s['queue']:>10.1f}{s['area_mean']:>10.1f}{s['area_peak']:>10.1f}"
            f"{s['wanted']:>15.1f}{s['loaded']:>8.1f}{s['idle']:>10.1%}"
        )
    r, met = result["ratios"], result["goals_met"]
    mark = {True: "met", False: "NOT met"}
    lines += [
        f"queue time {r['queue']:+.1%} (goal -85% or better: {mark[met['queue']]})",
        f"trucks in area {r['area']:+.1%} mean, {r['area_peak']:+.1%} peak (goal -85% or better: {mark[met['area']]})",
        f"wanted→loaded {r['wanted']:+.1%} (goal no worse than +5%: {mark[met['wanted']]})",
        f"trucks loaded {r['loaded']:+.2%} (goal within 1%: {mark[met['loaded']]})",
    ]
    return "\n".join(lines)

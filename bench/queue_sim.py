"""One mine day, simulated twice with the same random seed: walk-up FCFS at the gate versus
appointments + virtual queue + call-in, using the project's own slot and queue code
(backend.appointments.windows.planning: windows_for_day, plan_factor, window_capacity, queue_order).

    .venv/bin/python -m bench.queue_sim [--seed 7] [--trucks 360]

"Queued at the gate" is a truck that has reached the gate and waits for a loading lane. With
appointments, trucks wait in the parking lot until called; that wait is reported separately so
the comparison is honest about where the waiting went.
"""

import argparse
import heapq
import random
import statistics

from backend.appointments.windows.planning import plan_factor, queue_order, window_capacity, windows_for_day

DATE = "2026-11-20"
MIN = 60_000


class Mine:
    lanes, trucks_per_lane_hour, drive_minutes = 4, 6, 6
    day_start_hour, day_end_hour, window_minutes = 6, 22, 60
    call_buffer = 2  # trucks called beyond the free lanes, so a lane never waits for a truck


def natural_arrivals(rng, trucks, day_start):
    """When trucks would turn up on their own: a morning rush, a smaller afternoon one, and a trickle."""
    times = []
    for _ in range(trucks):
        r = rng.random()
        hour = rng.gauss(8.0, 1.2) if r < 0.5 else rng.gauss(14.0, 1.5) if r < 0.8 else rng.uniform(6, 21)
        times.append(day_start + int(min(max(hour, 5.0), 21.5) * 60 * MIN))
    return sorted(times)


def service_ms(rng, mine):
    mean = 60 / mine.trucks_per_lane_hour
    return int(max(2.0, rng.gauss(mean, mean * 0.25)) * MIN)


class GateTrace:
    """Trucks waiting at the gate over time (for mean and peak length) and each truck's wait."""

    def __init__(self):
        self.length, self.last_t, self.area, self.peak, self.waits, self.lot_waits = 0, None, 0, 0, [], []
        self.first_t = None

    def change(self, t, delta):
        if self.last_t is not None:
            self.area += self.length * (t - self.last_t)
        self.first_t = t if self.first_t is None else self.first_t
        self.last_t, self.length = t, self.length + delta
        self.peak = max(self.peak, self.length)

    def mean_length(self, start, end):
        return self.area / (end - start)


def run_lanes(events, mine, rng, trace):
    """Walk-up: trucks queue at the gate and take free lanes first-come-first-served."""
    free, waiting, seq = [mine.lanes], [], 10**6
    while events:
        t, _, kind, truck = heapq.heappop(events)
        if kind == "gate":
            trace.change(t, +1)
            waiting.append((t, truck))
        else:
            free[0] += 1
        seq = _load(t, free, waiting, events, trace, rng, mine, seq)


def _load(t, free_lanes, waiting, events, trace, rng, mine, seq):
    """Put waiting trucks on free lanes (FCFS at the gate)."""
    while free_lanes[0] and waiting:
        arrived, truck = waiting.pop(0)
        trace.change(t, -1)
        trace.waits.append(t - arrived)
        free_lanes[0] -= 1
        seq += 1
        heapq.heappush(events, (t + service_ms(rng, mine), seq, "done", truck))
    return seq


def walk_up(seed, trucks, mine):
    rng = random.Random(seed)
    day_start = windows_for_day(DATE, day_start_hour=0, day_end_hour=24, window_minutes=60)[0][0]
    arrivals = natural_arrivals(rng, trucks, day_start)
    events = [(t, i, "gate", i) for i, t in enumerate(arrivals)]
    heapq.heapify(events)
    trace = GateTrace()
    run_lanes(events, mine, rng, trace)
    return trace, day_start


def book_windows(arrivals, mine):
    """Each truck books the first window with a free seat starting at or after its wished time (project code)."""
    windows = windows_for_day(
        DATE, day_start_hour=mine.day_start_hour, day_end_hour=mine.day_end_hour, window_minutes=mine.window_minutes
    )
    factor = plan_factor(
        plan_kg=0,
        avg_load_kg=34000,
        lanes=mine.lanes,
        trucks_per_lane_hour=mine.trucks_per_lane_hour,
        open_hours=mine.day_end_hour - mine.day_start_hour,
    )
    capacity = window_capacity(
        lanes=mine.lanes,
        trucks_per_lane_hour=mine.trucks_per_lane_hour,
        window_minutes=mine.window_minutes,
        factor=factor,
    )
    seats = {start: capacity for start, _ in windows}
    booked = []
    for truck, wish in enumerate(arrivals):
        options = [s for s, _ in windows if seats[s] > 0 and s + mine.window_minutes * MIN > wish] or [
            s for s, _ in windows if seats[s] > 0
        ]
        if options:
            seats[options[0]] -= 1
            booked.append((truck, options[0]))
    return booked


def appointments(seed, trucks, mine):
    rng = random.Random(seed)
    day_start = windows_for_day(DATE, day_start_hour=0, day_end_hour=24, window_minutes=60)[0][0]
    arrivals = natural_arrivals(rng, trucks, day_start)
    booked = book_windows(arrivals, mine)
    lot, trace, events = [], GateTrace(), []
    for truck, start in booked:
        at_lot = start + int(rng.uniform(-25, 20) * MIN)  # drivers come a little early or late for their window
        heapq.heappush(events, (at_lot, truck, "lot", (truck, start)))
    for minute in range(0, 24 * 60, 2):  # the gate looks at the board every two minutes as well
        heapq.heappush(events, (day_start + minute * MIN, -1, "tick", None))
    free, waiting, seq, out = [mine.lanes], [], 10**6, [0]  # out: trucks called and not yet loaded

    def call(t):
        # the gate calls the next trucks in virtual-queue order while lanes (plus a small buffer) have room
        room = mine.lanes + mine.call_buffer - out[0]
        for entry in queue_order(lot)[: max(room, 0)]:
            lot.remove(entry)
            out[0] += 1
            trace.lot_waits.append(t - entry["queue_at"])
            drive = int(max(2.0, rng.gauss(mine.drive_minutes, 1.5)) * MIN)
            heapq.heappush(events, (t + drive, entry["truck"], "gate", entry["truck"]))

    while events:
        t, _, kind, payload = heapq.heappop(events)
        if kind == "lot":
            truck, start = payload
            lot.append({"booking_id": f"b{truck:05d}", "slot_start_ms": start, "queue_at": t, "truck": truck})
        elif kind == "gate":
            trace.change(t, +1)
            waiting.append((t, payload))
        elif kind == "done":
            free[0] += 1
            out[0] -= 1
        seq = _load(t, free, waiting, events, trace, rng, mine, seq)
        if kind != "gate":
            call(t)
    return trace, day_start, len(booked)


def summarise(name, trace, day_start):
    start = trace.first_t or day_start
    mean_len = trace.mean_length(start, trace.last_t)
    mean_wait = statistics.mean(trace.waits) / MIN if trace.waits else 0
    print(
        f"{name:<34} mean queued at gate {mean_len:6.2f}  peak {trace.peak:4d}  mean time queued at gate "
        f"{mean_wait:6.1f} min  ({len(trace.waits)} trucks loaded)"
    )
    return mean_len, trace.peak, mean_wait


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--trucks", type=int, default=360)
    args = parser.parse_args()
    mine = Mine()
    print(
        f"one mine day: {mine.lanes} lanes × {mine.trucks_per_lane_hour} trucks/lane-hour, {args.trucks} trucks, "
        f"{mine.window_minutes}-min windows, {mine.drive_minutes} min from the lot, seed {args.seed}"
    )
    fcfs, day_start = walk_up(args.seed, args.trucks, mine)
    appt, _, booked = appointments(args.seed, args.trucks, mine)
    a = summarise("walk-up FCFS at the gate", fcfs, day_start)
    b = summarise("appointments + virtual queue", appt, day_start)
    lot_wait = statistics.mean(appt.lot_waits) / MIN if appt.lot_waits else 0
    total_fcfs = a[2]
    total_appt = b[2] + lot_wait
    print(
        f"  (appointments: {booked} booked; mean wait in the parking lot before the call {lot_wait:.1f} min, "
        f"so arrival-to-lane {total_appt:.1f} min vs {total_fcfs:.1f} min walk-up)"
    )
    length_cut = 1 - b[0] / a[0] if a[0] else 0
    peak_cut = 1 - b[1] / a[1] if a[1] else 0
    time_cut = 1 - b[2] / a[2] if a[2] else 0
    print(
        f"reductions at the gate: mean length −{length_cut:.0%}, peak −{peak_cut:.0%}, mean time −{time_cut:.0%} "
        f"(seed platform: length −50 %, time −40 %)"
    )
    print(f"total waiting (lot + gate) vs walk-up: −{1 - total_appt / total_fcfs:.0%}" if total_fcfs else "")


if __name__ == "__main__":
    main()

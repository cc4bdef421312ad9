"""One mine day, simulated for walk-up and for the platform on the same trucks, over many seeds.

    .venv/bin/python -m bench.queue_sim [--seeds 20] [--booked 0.99] [--no-show 0.05] [--window 30] ...

The engine is backend.appointments.queue.simulation (the same code mine staff run from the app): the
platform side uses the queue's own planning rules, which the services use too. Every assumption is a flag
(see `Assumptions`); it prints per side the means over the seeds - queue time (arrival in the mine area →
gate entry), trucks in the area (mean, peak), wanted time → loaded, trucks loaded per day, lane idle share -
and the goal ratios of the platform against walk-up measured in the same run.
"""

import argparse

from backend.appointments.queue.simulation import Assumptions, render, summary


def main(argv=None):
    parser = argparse.ArgumentParser(description="walk-up vs the platform on the same trucks")
    parser.add_argument("--seeds", type=int, default=20)
    defaults = Assumptions()
    for name, value in defaults.__dict__.items():
        parser.add_argument("--" + name.replace("_", "-"), type=type(value), default=value)
    args = vars(parser.parse_args(argv))
    seeds = args.pop("seeds")
    print(render(summary(Assumptions(**args), seeds)))


if __name__ == "__main__":
    main()

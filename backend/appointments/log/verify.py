"""Check one mine's queue day: `python -m backend.appointments.log.verify --mine M --day YYYY-MM-DD`.

Reads the day's chain and head from the configured tables, recomputes every hash and link, prints the
head and any problem, and exits 1 when the chain was altered (an entry removed, inserted, changed or moved).
"""

import argparse
import sys


def report(mine_id, day, *, out=print):
    """Verify and print; True when the chain is intact."""
    from backend.appointments.log.service import verify_day

    entries, (seq, head_hash), problems = verify_day(mine_id, day)
    out(f"chain {mine_id}#{day}: {len(entries)} entries, head seq {seq} hash {head_hash or '-'}")
    for problem in problems:
        out(f"  seq {problem['seq']}: {problem['problem']} (expected {problem['expected']})")
    out("intact" if not problems else f"ALTERED: {len(problems)} problem(s)")
    return not problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mine", required=True)
    parser.add_argument("--day", required=True, help="YYYY-MM-DD (Asia/Shanghai)")
    args = parser.parse_args(argv)
    from backend.jobs import _ensure_app  # the app binds the models to the configured tables

    with _ensure_app().app_context():
        return 0 if report(args.mine, args.day) else 1


if __name__ == "__main__":
    sys.exit(main())

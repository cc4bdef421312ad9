"""Schemathesis at length against the served app: every operation for each role it admits, many cases each.

    .venv/bin/python bench/fuzz.py [--examples 25] [--budget 900] [--seed N]

An in-memory DynamoDB Local with the demo data; the app served by waitress in its own process; a signed-in
user per role (7 roles). Prints requests per status class and every finding (5xx, an undocumented status,
a body not matching its schema) with the exact request. tests/fuzz/test_schemathesis.py runs the same with
a few cases in the test command. The baseline is the run's own count: findings per 1,000 requests.
"""

import argparse
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

from load import served  # noqa: E402


def role_headers(app):
    """A real user per role, each in its own company or mine; headers made fresh per request."""
    from backend.common.access import ROLES
    from tests.builders import headers_for, make_org, make_user

    orgs = {"driver": "carrier", "carrier": "carrier", "shipper": "shipper"}
    with app.app_context():
        users = {
            role: make_user(
                role,
                org_id=make_org(orgs[role]).org_id if role in orgs else None,
                mine_id="mine_hll" if role == "gate" else None,
            )
            for role in ROLES
        }

    def maker(user):
        def headers():
            with app.app_context():
                return headers_for(user)

        return headers

    return {role: maker(user) for role, user in users.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25, help="cases per operation, role and mode")
    parser.add_argument("--budget", type=float, default=900, help="seconds before no new operation is started")
    parser.add_argument("--seed", type=int, default=None, help="a random seed (default: derandomized)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo data (ids in paths are then all unknown)")
    args = parser.parse_args()
    from tests.fuzz import fuzzing

    with served(prepare=None if args.no_demo else _load_demo) as (_, app, url):
        began = time.monotonic()
        tally = fuzzing.fuzz(
            fuzzing.load(url),
            url,
            role_headers(app),
            audience=fuzzing.audience_of(app),
            max_examples=args.examples,
            budget_s=args.budget,
            seed=args.seed,
        )
    made = sum(tally.statuses.values())
    print(tally.summary() + (" - stopped at the time budget" if tally.stopped_early else ""))
    print(
        f"{time.monotonic() - began:.0f} s; {len(tally.findings)} findings "
        f"({1000 * len(tally.findings) / max(1, made):.2f} per 1,000 requests), "
        f"{len(tally.server_errors())} server errors"
    )
    for finding in tally.findings:
        print(finding)


def _load_demo(app):
    from backend.common.clock import now_ms
    from backend.seed.load import load_demo

    with app.app_context():
        load_demo(now_ms())


if __name__ == "__main__":
    main()

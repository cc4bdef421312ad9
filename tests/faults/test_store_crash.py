"""kill -9 of the store mid-load: no acknowledged booking is lost and nothing unacknowledged is half-applied."""

import json
import subprocess
import sys

import pytest

from backend.localstore.dynamodb_local import REPO_ROOT


@pytest.fixture(scope="module")
def drill():
    """The drill runs in its own process: it binds the models to its own persistent store."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults.crash_drill"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_store_really_died_mid_load(drill):
    assert 0 < drill["acknowledged_at_kill"] < 300
    assert any(status >= 500 for status in drill["statuses"]), drill  # requests failed while it was down
    assert drill["seconds"] < 60


@pytest.mark.slow
def test_every_acknowledged_booking_survives_the_kill_but_the_stores_own_last_one(drill):
    # DynamoDB Local 3.3.1 (-dbPath) acknowledges a TransactWriteItems before it is on disk: the newest
    # acknowledged booking before SIGKILL may be gone after the restart (seen in 3 of 4 runs, always exactly
    # one, always whole). AWS acknowledges only durable writes, and the app answers 201 only after the store's
    # 200; so the drill allows that one and no more, and the next test checks it vanished whole.
    assert drill["acknowledged"] >= drill["acknowledged_at_kill"]
    assert len(drill["lost"]) <= 1, drill["lost"]


@pytest.mark.slow
def test_a_booking_the_store_lost_is_lost_whole(drill):
    for lost in drill["lost_detail"]:
        assert (lost["booking_by_key"], lost["booking_in_index"], lost["waybill_state"]) == (None, None, "assigned")


@pytest.mark.slow
def test_nothing_unacknowledged_is_half_applied(drill):
    assert drill["half_applied"] == []
    assert drill["bookings"] == drill["booked_waybills"]
    assert drill["seats"] == drill["bookings_per_slot"]  # no seat counted without its booking


@pytest.mark.slow
def test_resending_the_unanswered_requests_books_each_once(drill):
    assert drill["resent_statuses"] in ([201], [])
    assert drill["bookings"] == 300 - len(drill["lost"]) == sum(drill["seats"].values())

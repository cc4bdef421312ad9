"""The nightly window job on DynamoDB Local: a day leaving the 90 days comes off the totals once, from counters only."""

import random

from backend.common.clock import shanghai_midnight_ms
from backend.trust import service, store, window
from tests.builders import random_ref
from tests.callcount import count_calls

DAY = 86_400_000


def _far_future_now():
    # A day of its own in the by_day index: no other test records counters 90 days before it.
    return shanghai_midnight_ms("2031-01-01") + random.randrange(0, 3000) * DAY + 3_600_000


def _counted(party_id, signal, at, n=1):
    events = [
        service.event_record(party_id=party_id, role="driver", signal=signal, source_id=random_ref("src"), at=at)
        for _ in range(n)
    ]
    assert service.record(events)


def test_a_day_leaving_the_window_comes_off_once_and_the_snapshot_follows(app):
    now = _far_future_now()
    with app.app_context():
        party = random_ref("drv")
        _counted(party, "completed", now - 90 * DAY, n=12)  # leaves tonight
        _counted(party, "completed", now - 30 * DAY, n=10)
        _counted(party, "no_show", now - 90 * DAY)
        assert service.counts_of(store.get_standing(party))["completed"] == 22
        result = window.run(now_ms=now)
        standing = store.get_standing(party)
        assert result["dropped"] >= 1
        counts = service.counts_of(standing)
        assert counts["completed"] == 10 and counts["no_show"] == 0
        assert standing.score == 65 and standing.grade == "C"
        window.run(now_ms=now)  # a rerun takes nothing off twice
        assert service.counts_of(store.get_standing(party))["completed"] == 10


def test_the_jobs_cost_follows_the_parties_not_their_history(app):
    now = _far_future_now()
    with app.app_context():
        light, heavy = random_ref("drv"), random_ref("drv")
        _counted(light, "completed", now - 90 * DAY)
        _counted(heavy, "completed", now - 90 * DAY, n=60)  # 60 loads on that day: still one day item
        with count_calls() as calls:
            window.run(now_ms=now, workers=1)  # in this thread, where the calls are counted
    # Per page of parties: the by_day Query, one BatchGetItem of standings, one TransactWriteItems; plus
    # the empty catch-up days and yesterday's Query. Sixty loads cost the same as one.
    assert calls.count("TransactWriteItems") == 1 and calls.count("BatchGetItem") == 1
    assert all(service.counts_of(store.get_standing(p))["completed"] == 0 for p in (light, heavy))

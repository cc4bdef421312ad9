"""Aggregates kept from DynamoDB Local's streams equal a recount of the raw records; a record counts once."""

from datetime import date

from backend.analytics import service, store
from tests.analytics.synthetic import make_day

DAY = "2026-03-14"


def _items(keys):
    return {k: store.get(*k) for k in keys}


def test_streamed_day_equals_recomputation_from_raw_records(app, stream_poller):
    with app.app_context():
        made = make_day(DAY)
        stream_poller.drain()
        recount = service.recompute_day(day=DAY, mine_ids=[made["mine_id"]], now_ms=0, write=False)
        mine_day = (f"mine#{made['mine_id']}", f"d#{DAY}")
        assert recount[mine_day]["planned"] == 12  # the synthetic day really happened
        assert recount[mine_day]["fake_plate"] == 3 and recount[mine_day]["fake_plate_cleared"] == 1
        day = recount[mine_day]  # the KPIs that need a second timestamp: gate time, queue, detention, windows
        assert day["gate_ms"] > 0 and day["capacity_kg"] == 32000 * day["loaded"]
        assert day["queued"] > 0 and day["queue_ms"] >= day["queued"] * 2 * 60 * 1000
        assert day["detention_minutes"] > 0  # the slow trucks waited past the free two hours
        assert day["seats_offered"] == 8 * 3 and 0 < day["seats_taken"] < 12  # cancelled seats went back
        assert _items(recount) == recount


def test_redelivered_stream_batch_counts_once(app, stream_poller):
    with app.app_context():
        seen = []
        stream_poller.handler, original = (
            (lambda event: (seen.extend(event["Records"]), original(event))),
            stream_poller.handler,
        )
        try:
            made = make_day(DAY, loads=3, seed=3)
            stream_poller.drain()
        finally:
            stream_poller.handler = original
        key = (f"mine#{made['mine_id']}", f"d#{DAY}")
        before = store.get(*key)
        replay = [r for r in seen if made["mine_id"] in str(r)]
        result = service.count_stream_records(replay)  # Lambda retrying the whole batch
        assert result["counted"] == 0 and result["skipped"] > 0
        assert store.get(*key) == before


def test_dashboard_reads_the_streamed_day_for_dispatch(app, client, stream_poller):
    from tests.builders import headers_for, make_user

    with app.app_context():
        made = make_day(DAY, loads=4, seed=11)
        stream_poller.drain()
        user = make_user("dispatcher")
    reply = client.get(
        f"/api/analytics/dashboard?theme=capacity&date_from={DAY}&date_to={DAY}&mine_id={made['mine_id']}",
        headers=headers_for(user),
    )
    assert reply.status_code == 200, reply.json
    assert reply.json["totals"]["planned"] == 4
    assert [r["id"] for r in reply.json["rows"] if r["id"] == made["mine_id"]] == [made["mine_id"]]
    assert date.fromisoformat(reply.json["days"][0]) == date.fromisoformat(DAY)


def test_live_gauge_recount_matches_the_stream(app, stream_poller):
    with app.app_context():
        made = make_day("2026-03-15", loads=10, seed=9)
        stream_poller.drain()
        key = (f"mine#{made['mine_id']}", "live")
        streamed = store.get(*key)
        service.recount_live(mine_ids=[made["mine_id"]], now_ms=0)
        assert store.get(*key) == streamed
        assert streamed.get("in_transit", 0) > 0  # some trucks of the synthetic day are still on the road

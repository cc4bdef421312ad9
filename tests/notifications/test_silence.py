"""Silence is an event: a truck in transit with no fix from phone or terminal raises one "signal lost" alert per
episode (to its carrier's desk and dispatch), cleared when fixes resume; only in-transit waybills are read."""

from backend.alerts import service as alerts
from backend.alerts.models import Alert
from backend.common.clock import now_ms
from backend.jobs import watch_signal
from backend.notifications import silence, store
from backend.tracking import service as tracking
from backend.tracking import store as tracking_store
from tests.appointments.builders import make_mine, make_waybill
from tests.builders import make_org, make_user, random_ref

MIN = 60_000


def fix(vehicle_id, at_ms):
    tracking_store.write_fixes(
        [{"vehicle_id": vehicle_id, "at_ms": at_ms, "lon": 110.3, "lat": 38.9, "source": "phone"}], retention_days=7
    )


def watch(mine, at):
    return silence.watch(now_ms=at, mine_ids=[mine.mine_id], last_fix=tracking.last_fix_before, alerts=alerts)


def signal_alerts(waybill):
    return [a for a in Alert.by_waybill.query(waybill.waybill_id) if a.kind == "signal_lost"]


def test_a_silent_truck_raises_one_alert_per_episode_and_it_clears_when_fixes_resume(app):
    with app.app_context():
        mine, carrier = make_mine(), make_org("carrier").org_id
        desk = make_user("carrier", org_id=carrier)
        start = now_ms()
        moving = make_waybill(mine.mine_id, vehicle_id=random_ref("veh"), plate="陕K00001", state="in_transit")
        moving.update(actions=[type(moving).carrier_id.set(carrier)])
        quiet = make_waybill(mine.mine_id, vehicle_id=random_ref("veh"), state="in_transit")
        booked = make_waybill(mine.mine_id, vehicle_id=random_ref("veh"), state="booked")  # not on the road
        fix(moving.vehicle_id, start)
        fix(quiet.vehicle_id, start + 19 * MIN)

        assert watch(mine, start + 10 * MIN) == {"lost": 0, "cleared": 0, "watched": 2}
        assert watch(mine, start + 21 * MIN)["lost"] == 1
        assert watch(mine, start + 30 * MIN)["lost"] == 0  # the same episode: no second alert
        [alert] = signal_alerts(moving)
        assert alert.status == "open" and alert.carrier_id == carrier and "陕K00001" in alert.reason
        [message] = store.messages(desk.user_id, limit=10, last_evaluated_key=None)[0]
        assert message.kind == "signal_lost" and message.params["plate"] == "陕K00001"
        assert signal_alerts(quiet) == [] and signal_alerts(booked) == []

        fix(moving.vehicle_id, start + 31 * MIN)
        assert watch(mine, start + 32 * MIN)["cleared"] == 1
        assert [a.status for a in signal_alerts(moving)] == ["cleared"]
        assert watch(mine, start + 60 * MIN)["lost"] == 2  # a new episode (and the other truck's first)
        assert sorted(a.status for a in signal_alerts(moving)) == ["cleared", "open"]


def test_the_job_runs_over_the_mines_it_is_given(app):
    with app.app_context():
        mine = make_mine()
        make_waybill(mine.mine_id, vehicle_id=random_ref("veh"), state="in_transit")
    assert watch_signal(mine_ids=[mine.mine_id])["watched"] == 1

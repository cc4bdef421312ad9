"""The local run keeps the Lambda schedule: daily jobs once a day, no-shows every tick."""
from backend.localstore import scheduler


def test_daily_jobs_run_once_a_day_and_no_shows_every_tick(monkeypatch):
    calls = []
    for name in ("open_slots", "compute_quotas", "expire_no_shows"):
        monkeypatch.setattr(scheduler.jobs, name, lambda name=name: calls.append(name))
    state = {}
    scheduler.run_due(state)
    scheduler.run_due(state)
    assert calls == ["open_slots", "compute_quotas", "expire_no_shows", "expire_no_shows"]
    state["day"] = "2000-01-01"  # the Shanghai date moved on
    scheduler.run_due(state)
    assert calls[-3:] == ["open_slots", "compute_quotas", "expire_no_shows"]


def test_the_real_jobs_plan_todays_quotas(app):
    from backend.common.clock import now_ms, shanghai_date
    from backend.dispatch import store as dispatch_store
    scheduler.run_due({})
    assert dispatch_store.get_plan("mine_hll", shanghai_date(now_ms())) is not None

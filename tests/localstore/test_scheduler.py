"""The local run keeps the Lambda schedule: daily jobs once a day, no-shows every tick."""

from backend.localstore import scheduler


def test_daily_jobs_run_once_a_day_and_no_shows_every_tick(monkeypatch):
    calls = []
    # Every job is replaced by a recorder (several domains add jobs to the schedule; none may run for real here).
    for name, job in list(vars(scheduler.jobs).items()):
        if callable(job) and getattr(job, "__module__", None) == "backend.jobs" and not name.startswith("_"):
            monkeypatch.setattr(scheduler.jobs, name, lambda name=name, mine_ids=None: calls.append((name, mine_ids)))
    daily = ["open_slots", "compute_quotas", "trial_balance", "trust_scores"]
    ticking = [
        "expire_no_shows",
        "expire_unpaid_orders",
        "reconcile_payments",
        "settle_confirmed",
        "trust_complaints_due",
    ]

    def named():
        return [name for name, _ in calls if name in daily + ticking]

    state = {}
    scheduler.run_due(state)
    scheduler.run_due(state)
    assert named() == [*daily, *ticking, *ticking]
    assert {scope for _, scope in calls} == {None}  # the real schedule covers every mine
    state["day"] = "2000-01-01"  # the Shanghai date moved on
    scheduler.run_due(state)
    assert named()[-len(daily + ticking) :] == [*daily, *ticking]


def test_the_real_jobs_open_windows_and_plan_todays_quotas_at_the_mines_named(app):
    from backend.appointments.windows import store as appointments_store
    from backend.common.clock import now_ms, shanghai_date
    from backend.dispatch import store as dispatch_store
    from tests.orders.helpers import make_mine

    mine = make_mine(inventory_kg=340_000)
    scheduler.run_due({}, mine_ids=[mine])
    now = now_ms()
    assert dispatch_store.get_plan(mine, shanghai_date(now)).capacity_trucks == 10
    assert list(appointments_store.slots_between(mine, now, now + 3 * 86_400_000))  # windows to book

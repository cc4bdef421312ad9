"""Balanced hauling (均衡拉运): the daily truck quota per shipper per mine, and the steps that use it.

Which loads are under quota: loads a shipper made from its allocation (bulk orders). Retail
orders — a buyer's own, or a shipper's on a buyer's behalf — reserve mine inventory directly
and are not under shipper quotas (they already lower the capacity the plan shares out, because
capacity counts only unreserved inventory).

A shipper's remaining volume, in trucks, is its open (not yet assigned) bulk loads at the mine
plus whole trucks still left in its allocations there. A recompute during the day keeps the
trucks already used and re-shares the trucks not yet used: quota = used + share of
(capacity − trucks used today), so the day's quotas never add up to more than the capacity.
"""

import time

from backend.accounts import service as accounts_service
from backend.catalogue import service as catalogue_service
from backend.common.clock import shanghai_date
from backend.common.errors import ApiError
from backend.common.schemas import Joined
from backend.config import setting
from backend.dispatch import store
from backend.dispatch.apportion import apportion
from backend.dispatch.models import QuotaPlan
from backend.orders import service as orders_service
from backend.waybills import service as waybills

PLAN_LOCK_MS = 60_000  # far longer than a plan takes (~20 calls); a crashed claimer blocks grabs at most this long
PLAN_WAIT_S = 5  # a request behind the claimer waits this long at most (a plan takes well under a second)
PLAN_POLL_S = 0.2
RETRY_AFTER_S = 2


def capacity_kg(mine_id):
    """Today's tonnage a mine can load: production plan + inventory − reserved, over its products."""
    return sum(p.plan_kg + catalogue_service.available_kg(p) for p in catalogue_service.list_products(mine_id))


def gate_day(mine):
    """(trucks per hour, open hours) the site's lanes load: the same figures its gate board and windows use."""
    template = catalogue_service.slot_template(mine)
    start = template.get("day_start_hour", setting("SLOT_DAY_START_HOUR"))
    end = template.get("day_end_hour", setting("SLOT_DAY_END_HOUR"))
    return int(mine.loading_lanes * mine.trucks_per_lane_hour), max(int(end - start), 0)


def remaining_trucks(mine_id, truck_load_kg):
    """{shipper_id: trucks still to haul}: open bulk loads plus whole trucks left in allocations."""
    trucks = {}
    for allocation in orders_service.allocations_at_mine(mine_id):
        trucks[allocation.shipper_id] = trucks.get(allocation.shipper_id, 0) + allocation.remaining_kg
    trucks = {s: kg // truck_load_kg for s, kg in trucks.items()}
    for waybill in open_bulk_loads(mine_id):
        trucks[waybill.shipper_id] = trucks.get(waybill.shipper_id, 0) + 1
    return trucks


def open_bulk_loads(mine_id):
    """The mine's shipper loads not yet assigned: the mine's open loads by key (mine_state), not its history."""
    loads, lek = [], None
    while True:
        page, lek = waybills.list_by("mine", mine_id, limit=100, last_evaluated_key=lek, state="open")
        loads += [w for w in page if w.shipper_id and w.kind == "bulk"]
        if not lek:
            return loads


def compute_plan(*, mine_id, date, now_ms):
    """Share a mine's trucks for a date among shippers and store the plan and each quota."""
    mine = catalogue_service.get_mine(mine_id)
    load = mine.avg_truck_load_kg
    capacity = max(capacity_kg(mine_id), 0)
    wanted = remaining_trucks(mine_id, load)
    used = {q.shipper_id: q.used for q in store.quotas_for_plan(mine_id, date)}
    # Inventory only falls when trucks load, so trucks already sent today still count against capacity.
    # No more trucks than the gate loads in its open day, however much coal there is: the plan and the gate's
    # board (24 trucks an hour) must tell the same story.
    per_hour, hours = gate_day(mine)
    trucks = min(capacity // load, per_hour * hours)
    shares = apportion(max(trucks - sum(used.values()), 0), wanted)
    store.set_quotas(
        mine_id=mine_id,
        date=date,
        now_ms=now_ms,
        rows=[(s, used.get(s, 0) + shares.get(s, 0), wanted.get(s, 0)) for s in sorted(set(shares) | set(used))],
    )
    plan = QuotaPlan(
        mine_id,
        date,
        capacity_kg=capacity,
        truck_load_kg=load,
        capacity_trucks=trucks,
        coal_trucks=capacity // load,
        gate_trucks_per_hour=per_hour,
        open_hours=hours,
        allotted_trucks=sum(shares.values()),
        shippers=sum(1 for v in shares.values() if v),
        computed_at=now_ms,
    )
    return store.save_plan(plan)


def compute_all(*, now_ms, date=None, mine_ids=None):
    """The scheduled job (backend.jobs.compute_quotas) and the dispatcher's recompute: all mines or those named."""
    date = date or shanghai_date(now_ms)
    mine_ids = mine_ids or [m.mine_id for m in catalogue_service.list_mines()]
    return [compute_plan(mine_id=m, date=date, now_ms=now_ms) for m in mine_ids]


def ensure_plan(*, mine_id, date, now_ms):
    """The day's plan: one GetItem once it exists (the scheduled job's normal case).

    Before the job has run, the first request claims a lock item and computes the plan once (a few
    dozen calls: reads by key, quota writes 100 a transaction). Requests that meet the held claim wait
    for the plan, re-reading it a few times for at most PLAN_WAIT_S, then get a 503
    `quota_plan_pending` to retry (the app's outbox retries 5xx); nobody computes it a second time.
    A claim left by a crashed request expires after PLAN_LOCK_MS.
    """
    plan = store.get_plan(mine_id, date, consistent=True)
    if plan is not None:
        return plan
    if store.claim_plan_lock(mine_id, date, now_ms=now_ms, hold_ms=PLAN_LOCK_MS):
        try:
            return compute_plan(mine_id=mine_id, date=date, now_ms=now_ms)
        except Exception:
            store.release_plan_lock(mine_id, date)
            raise
    deadline = time.monotonic() + PLAN_WAIT_S
    while time.monotonic() < deadline:
        time.sleep(PLAN_POLL_S)
        plan = store.get_plan(mine_id, date, consistent=True)
        if plan is not None:
            return plan
    raise ApiError(
        "quota_plan_pending",
        "today's quota plan for this mine is being prepared; retry shortly",
        status=503,
        details={"mine_id": mine_id, "date": date, "retry_after_s": RETRY_AFTER_S},
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def _named(quota, names):
    """A quota with its shipper's company name beside it (the id when the name is unknown)."""
    return Joined(quota, shipper_name=names.get(quota.shipper_id, quota.shipper_id))


def plans_for(principal, *, date):
    """Dispatcher/admin: every mine's plan and quotas; shipper: only its own quotas."""
    if principal.role == "shipper":
        own = store.quotas_for_shipper(principal.org_id, date)
        names = accounts_service.org_names([principal.org_id])
        return {"date": date, "plans": [], "quotas": [_named(q, names) for q in own]}
    found = []
    for mine in catalogue_service.list_mines():
        plan = store.get_plan(mine.mine_id, date)
        if plan is not None:
            found.append((mine, plan, store.quotas_for_plan(mine.mine_id, date)))
    # People read company names, not ids: one batched lookup for every shipper on the page.
    names = accounts_service.org_names({q.shipper_id for _, _, quotas in found for q in quotas})
    plans = [
        Joined(
            plan,
            mine_name=mine.name or plan.mine_id,
            quotas=[_named(q, names) for q in sorted(quotas, key=lambda q: q.shipper_id)],
        )
        for mine, plan, quotas in found
    ]
    return {"date": date, "plans": plans, "quotas": []}

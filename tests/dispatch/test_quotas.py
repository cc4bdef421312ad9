"""Balanced hauling: the plan from capacity and remaining volume, quota use on grabs, refusal, give-back."""

from backend.common.clock import now_ms, shanghai_date
from backend.dispatch import quotas
from backend.dispatch import store as dispatch_store
from tests.builders import headers_for, make_user
from tests.orders.helpers import driver_with_truck, grab, make_mine, place_bulk, shipper_with_allocation


def test_plan_shares_capacity_by_remaining_volume(app):
    mine = make_mine(inventory_kg=340_000, avg_load_kg=34_000)  # 10 trucks of capacity
    big, small = shipper_with_allocation(mine, 34_000 * 30), shipper_with_allocation(mine, 34_000 * 10)
    today = shanghai_date(now_ms())
    plan = quotas.compute_plan(mine_id=mine, date=today, now_ms=now_ms())
    assert (plan.capacity_trucks, plan.allotted_trucks) == (10, 10)
    got = {q.shipper_id: q.quota for q in dispatch_store.quotas_for_plan(mine, today)}
    assert got == {big.org_id: 8, small.org_id: 2}  # 7.5 and 2.5: tie on remainder → larger volume


def test_grabs_beyond_the_quota_are_refused_and_a_give_back_returns_the_truck(client):
    mine = make_mine(inventory_kg=68_000, avg_load_kg=34_000)  # 2 trucks today
    shipper = shipper_with_allocation(mine, 34_000 * 3)
    loads = place_bulk(client, shipper, mine, 3, freight_fen_per_t=4000).json["items"]
    crews = [driver_with_truck() for _ in loads]
    assert [grab(client, *crew, load["id"]).status_code for crew, load in zip(crews[:2], loads[:2])] == [200, 200]
    refused = grab(client, *crews[2], loads[2]["id"])
    assert refused.status_code == 409 and refused.json["error"]["code"] == "quota_exhausted"
    mine_quota = client.get("/api/dispatch/quotas", headers=headers_for(shipper)).json["quotas"]
    assert [(q["mine_id"], q["quota"], q["used"]) for q in mine_quota] == [(mine, 2, 2)]
    back = client.post(f"/api/hall/{loads[0]['id']}/give-back", json={}, headers=headers_for(crews[0][0]))
    assert back.status_code == 200
    assert grab(client, *crews[2], loads[2]["id"]).status_code == 200


def test_retail_orders_are_not_under_shipper_quotas(client):
    mine = make_mine(inventory_kg=40_000, avg_load_kg=34_000)
    from tests.orders.helpers import place_retail

    load = place_retail(client, make_user("buyer"), mine, 30_000).json  # capacity left: < 1 truck
    assert grab(client, *driver_with_truck(), load["id"]).status_code == 200


def test_dispatcher_recomputes_and_sees_every_mine_shipper_sees_only_its_own(client):
    mine = make_mine(inventory_kg=340_000)
    one, two = shipper_with_allocation(mine, 340_000), shipper_with_allocation(mine, 340_000)
    dispatcher = make_user("dispatcher")
    reply = client.post("/api/dispatch/quotas/recompute", json={"mine_id": mine}, headers=headers_for(dispatcher))
    assert reply.status_code == 200
    plan = next(p for p in reply.json["plans"] if p["mine_id"] == mine)
    assert sorted(q["shipper_id"] for q in plan["quotas"]) == sorted([one.org_id, two.org_id])
    assert sum(q["quota"] for q in plan["quotas"]) == plan["capacity_trucks"] == 10
    own = client.get("/api/dispatch/quotas", headers=headers_for(one)).json
    assert own["plans"] == [] and {q["shipper_id"] for q in own["quotas"]} == {one.org_id}
    assert client.post("/api/dispatch/quotas/recompute", json={}, headers=headers_for(one)).status_code == 403


def test_recompute_keeps_trucks_already_used(client):
    mine = make_mine(inventory_kg=340_000)
    shipper = shipper_with_allocation(mine, 34_000 * 3)
    load = place_bulk(client, shipper, mine, 1, freight_fen_per_t=4000).json["items"][0]
    assert grab(client, *driver_with_truck(), load["id"]).status_code == 200
    today = shanghai_date(now_ms())
    quotas.compute_plan(mine_id=mine, date=today, now_ms=now_ms())
    quota = dispatch_store.get_quota(shipper.org_id, mine, today)
    assert (quota.used, quota.quota) == (1, 3)  # 1 used + 2 trucks still to haul


def test_the_scheduled_job_plans_the_mines_it_is_given(app):
    from backend import jobs

    mines = [make_mine(inventory_kg=340_000), make_mine(inventory_kg=68_000)]
    assert jobs.compute_quotas(mine_ids=mines) == {"plans": 2}
    today = shanghai_date(now_ms())
    assert [dispatch_store.get_plan(m, today).capacity_trucks for m in mines] == [10, 2]


def test_a_missing_plan_is_computed_once_however_many_ask_at_once(app, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    mine = make_mine(inventory_kg=340_000)
    shipper_with_allocation(mine, 34_000 * 5)
    today, computed = shanghai_date(now_ms()), []
    compute = quotas.compute_plan
    monkeypatch.setattr(quotas, "compute_plan", lambda **kw: computed.append(1) or compute(**kw))

    def ask(_):
        with app.app_context():
            return quotas.ensure_plan(mine_id=mine, date=today, now_ms=now_ms()).allotted_trucks

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(ask, range(8))) == [5] * 8
    assert len(computed) == 1


def test_an_existing_plan_costs_one_read_and_a_held_claim_without_a_plan_is_a_503(app, monkeypatch):
    from backend.common.errors import ApiError
    from tests.callcount import count_calls

    mine, today = make_mine(), shanghai_date(now_ms())
    assert dispatch_store.claim_plan_lock(mine, today, now_ms=now_ms(), hold_ms=60_000)  # someone else computing
    monkeypatch.setattr(quotas, "PLAN_WAIT_S", 0.3)
    try:
        quotas.ensure_plan(mine_id=mine, date=today, now_ms=now_ms())
        raise AssertionError("expected quota_plan_pending")
    except ApiError as error:
        assert (error.status, error.code) == (503, "quota_plan_pending")
    quotas.compute_plan(mine_id=mine, date=today, now_ms=now_ms())
    with count_calls() as calls:
        quotas.ensure_plan(mine_id=mine, date=today, now_ms=now_ms())
    assert calls == ["GetItem"]


def test_the_plan_reads_the_mines_open_loads_not_its_history(app):
    from backend.common.ids import new_id
    from backend.waybills.models import Waybill
    from tests.callcount import count_calls

    mine, today = make_mine(inventory_kg=340_000), shanghai_date(now_ms())
    shipper_with_allocation(mine, 34_000 * 5)

    def plan_calls():
        with count_calls() as calls:
            quotas.compute_plan(mine_id=mine, date=today, now_ms=now_ms())
        return calls

    before = plan_calls()
    with Waybill.batch_write() as batch:
        for i in range(300):
            batch.save(
                Waybill(
                    new_id("wb"),
                    state="settled",
                    mine_id=mine,
                    product_id="raw",
                    tonnage_kg=34_000,
                    shipper_id="org_past",
                    created_at=i,
                    updated_at=i,
                )
            )
    assert plan_calls() == before


def test_the_plan_never_promises_more_trucks_than_the_gate_loads_in_its_day(app):
    from backend.catalogue.models import Mine

    mine = make_mine(inventory_kg=168_000_000, avg_load_kg=34_000)  # coal for 4,941 trucks
    site = Mine.get(mine)
    site.update(
        actions=[
            Mine.loading_lanes.set(2),
            Mine.trucks_per_lane_hour.set(12),
            Mine.day_start_hour.set(6),
            Mine.day_end_hour.set(22),
        ]
    )
    plan = quotas.compute_plan(mine_id=mine, date=shanghai_date(now_ms()), now_ms=now_ms())
    # The gate's board says 24 trucks an hour; over a 16-hour day that is the plan's bound, not the coal.
    assert (plan.coal_trucks, plan.gate_trucks_per_hour, plan.open_hours) == (4941, 24, 16)
    assert plan.capacity_trucks == 24 * 16

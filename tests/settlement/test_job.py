"""Settling without a person: the scheduled job settles confirmed loads; a dispute waits until it is resolved."""

from backend import jobs
from backend.common.clock import now_ms
from backend.ledger import service as ledger
from tests.builders import headers_for, make_user, random_ref
from tests.settlement.test_posting import retail_world, state_of
from tests.tracking.conftest import make_waybill


def resolve(client, world, body, user=None):
    url = f"/api/settlement/waybills/{world['waybill'].waybill_id}/resolve"
    return client.post(url, json=body, headers=headers_for(user or make_user("dispatcher")))


def settle_entries(world):
    wid = world["waybill"].waybill_id
    return [e.entry_id for e in ledger.entries_for_waybill(wid) if e.entry_id.startswith(f"settle-{wid}")]


def test_the_job_settles_confirmed_loads_and_a_refusal_does_not_stop_the_others(app, client):
    mine = random_ref("mine")
    paid = [retail_world(mine_id=mine) for _ in range(2)]
    unpaid = make_waybill(  # a shipper with no balance and no credit: insufficient_funds
        state="confirmed",
        net_kg=30_000,
        received_kg=30_000,
        price_fen_per_t=80_000,
        freight_fen_per_t=10_000,
        mine_id=mine,
    )
    in_transit = retail_world(mine_id=mine, state="in_transit")

    assert jobs.settle_confirmed(mine_ids=[mine]) == {"settled": 2, "refused": 1}
    assert [state_of(client, world) for world in paid] == ["settled", "settled"]
    assert all(ledger.balance(ledger.account("escrow", w["waybill"].waybill_id)) == 0 for w in paid)
    assert state_of(client, unpaid) == "confirmed"  # left for the next run
    assert state_of(client, in_transit) == "in_transit"

    ledger.set_credit_limit(unpaid["shipper_org"].org_id, 5_000_000, mine_id=mine)
    assert jobs.settle_confirmed(mine_ids=[mine]) == {"settled": 1, "refused": 0}  # the settled ones are not read
    assert state_of(client, unpaid) == "settled"


def test_a_run_settles_at_most_its_bound_and_the_next_run_the_rest(app, client):
    from backend.settlement import job

    mine = random_ref("mine")
    worlds = [retail_world(mine_id=mine) for _ in range(3)]
    with app.app_context():
        assert job.settle_confirmed(now_ms=now_ms(), mine_ids=[mine], per_mine=2) == {"settled": 2, "refused": 0}
        assert job.settle_confirmed(now_ms=now_ms(), mine_ids=[mine], per_mine=2) == {"settled": 1, "refused": 0}
    assert {state_of(client, world) for world in worlds} == {"settled"}


def test_a_disputed_load_waits_until_resolved_then_settles_exactly_once(app, client):
    mine = random_ref("mine")
    world = retail_world(mine_id=mine, state="disputed", received_kg=32_000)
    wid = world["waybill"].waybill_id
    assert jobs.settle_confirmed(mine_ids=[mine]) == {"settled": 0, "refused": 0}
    assert state_of(client, world) == "disputed" and settle_entries(world) == []
    assert ledger.balance(ledger.account("escrow", wid)) == 3_060_000

    reply = resolve(client, world, {"reason": "weighed again at the plant: 32,950 kg", "received_kg": 32_950})
    assert reply.status_code == 200, reply.json
    assert reply.json["state"] == "confirmed" and reply.json["weights"]["received_kg"] == 32_950
    history = client.get(f"/api/waybills/{wid}/history", headers=headers_for(world["buyer"])).json["items"]
    assert history[-1]["action"] == "resolve_dispute"
    assert history[-1]["reason"] == "weighed again at the plant: 32,950 kg"

    assert jobs.settle_confirmed(mine_ids=[mine]) == {"settled": 1, "refused": 0}
    assert jobs.settle_confirmed(mine_ids=[mine]) == {"settled": 0, "refused": 0}
    assert state_of(client, world) == "settled"
    assert len(settle_entries(world)) == len(set(settle_entries(world))) >= 1
    assert ledger.balance(ledger.account("escrow", wid)) == 0
    # Settled on the agreed weight: 50 kg short of the 33 t loaded is within the 2 ‰ allowance (66 kg).
    settled = client.get(f"/api/settlement/waybills/{wid}", headers=headers_for(world["buyer"])).json
    assert settled["figures"]["excess_loss_kg"] == 0 and settled["figures"]["loss_deduction_fen"] == 0


def test_resolving_needs_a_reason_a_dispute_and_the_platform(client):
    world = retail_world(state="disputed")
    missing = resolve(client, world, {"received_kg": 32_900})
    assert missing.status_code == 400 and "reason" in missing.json["error"]["details"]["fields"]
    blank = resolve(client, world, {"reason": "   "})
    assert blank.status_code == 400 and "reason" in blank.json["error"]["details"]["fields"]
    for user in (world["buyer"], world["driver"]):
        assert resolve(client, world, {"reason": "ok"}, user).status_code == 403
    assert state_of(client, world) == "disputed"

    confirmed = retail_world(state="confirmed")
    refused = resolve(client, confirmed, {"reason": "nothing to resolve"})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "illegal_transition"
    unknown = client.post(
        "/api/settlement/waybills/nosuch/resolve", json={"reason": "x"}, headers=headers_for(make_user("admin"))
    )
    assert unknown.status_code == 404


def test_the_job_goes_oldest_first_and_refusals_at_the_front_do_not_starve_the_rest(app, client):
    """Two old loads nobody can pay for stay confirmed; each run goes on after them, then starts again."""
    from backend.settlement import job

    mine = random_ref("mine")
    stuck = []
    for _ in range(2):  # the oldest: a shipper with no balance and no credit
        stuck.append(
            make_waybill(
                state="confirmed",
                net_kg=30_000,
                received_kg=30_000,
                price_fen_per_t=80_000,
                freight_fen_per_t=10_000,
                mine_id=mine,
                updated_at=now_ms() - 3_600_000,
            )
        )
    payable = [retail_world(mine_id=mine) for _ in range(2)]
    with app.app_context():
        assert job.settle_confirmed(now_ms=now_ms(), mine_ids=[mine], per_mine=2) == {"settled": 0, "refused": 2}
        assert job.settle_confirmed(now_ms=now_ms(), mine_ids=[mine], per_mine=2) == {"settled": 2, "refused": 0}
        assert [state_of(client, world) for world in payable] == ["settled", "settled"]
        # The cursor reached the end: the next run starts from the oldest again, which can now pay.
        ledger.set_credit_limit(stuck[0]["shipper_org"].org_id, 5_000_000, mine_id=mine)
        assert job.settle_confirmed(now_ms=now_ms(), mine_ids=[mine], per_mine=2) == {"settled": 1, "refused": 1}
    assert state_of(client, stuck[0]) == "settled" and state_of(client, stuck[1]) == "confirmed"

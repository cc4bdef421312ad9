"""The transition table: legal moves write state, version and history together; illegal ones are 409s."""

from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from backend.common.errors import ApiError
from backend.waybills import service, store
from backend.waybills.claims import driver_claim_steps
from backend.waybills.models import Waybill
from backend.waybills.transitions import STATES, TRANSITIONS, IllegalTransition, target_state
from tests.builders import Actor, make_user, random_ref

T0 = 1_790_000_000_000


def new_waybill(state="open", **fields):
    waybill = Waybill(
        random_ref("wb"),
        state=state,
        mine_id="mine_hll",
        product_id="raw",
        tonnage_kg=34000,
        created_at=T0,
        updated_at=T0,
        **fields,
    )
    return store.create(waybill)


@pytest.fixture
def dispatcher(app):  # app: binds the models to the session DynamoDB Local
    return Actor(make_user("dispatcher"))


def test_transition_moves_state_bumps_version_and_records_history(dispatcher):
    waybill = new_waybill()
    moved = service.transition(
        waybill_id=waybill.waybill_id,
        action="assign",
        actor=dispatcher,
        now_ms=T0 + 5,
        where={"type": "Point", "coordinates": [110.33, 38.93]},
        changes={"driver_id": "u_x"},
    )
    assert (moved.state, moved.version, moved.driver_id) == ("assigned", 1, "u_x")
    [event] = store.history(waybill.waybill_id)
    assert (event.action, event.from_state, event.to_state, event.actor_id, event.at) == (
        "assign",
        "open",
        "assigned",
        dispatcher.user_id,
        T0 + 5,
    )
    assert event.where["coordinates"] == [110.33, 38.93]


ILLEGAL = [(action, state) for action, (sources, _) in TRANSITIONS.items() for state in STATES if state not in sources]


@pytest.mark.parametrize("action,state", ILLEGAL, ids=[f"{a}-from-{s}" for a, s in ILLEGAL])
def test_every_illegal_transition_is_a_409_carrying_the_state(action, state, dispatcher):
    waybill = new_waybill(state=state)
    with pytest.raises(ApiError) as refused:
        service.transition(waybill_id=waybill.waybill_id, action=action, actor=dispatcher, now_ms=T0)
    assert refused.value.status == 409 and refused.value.details["state"] == state
    assert store.get(waybill.waybill_id).version == 0 and store.history(waybill.waybill_id) == []


def test_hold_remembers_the_state_and_unhold_returns_to_it(dispatcher):
    waybill = new_waybill(state="called")
    held = service.hold(waybill_id=waybill.waybill_id, reason="plate mismatch", actor=dispatcher, now_ms=T0)
    assert (held.state, held.held_from, held.hold_reason) == ("held", "called", "plate mismatch")
    back = service.unhold(waybill_id=waybill.waybill_id, reason="cleared by gate", actor=dispatcher, now_ms=T0 + 1)
    assert (back.state, back.held_from, back.hold_reason) == ("called", None, None)
    assert [e.action for e in store.history(waybill.waybill_id)] == ["hold", "unhold"]


def test_racing_the_same_transition_lets_exactly_one_win(dispatcher):
    waybill = new_waybill()

    def assign(driver):
        try:
            service.transition(
                waybill_id=waybill.waybill_id,
                action="assign",
                actor=dispatcher,
                now_ms=T0,
                changes={"driver_id": driver},
            )
            return driver
        except ApiError as error:
            assert error.status == 409
            return None

    with ThreadPoolExecutor(max_workers=32) as pool:
        winners = [w for w in pool.map(assign, [f"u_{i}" for i in range(64)]) if w]
    assert len(winners) == 1
    final = store.get(waybill.waybill_id)
    assert final.driver_id == winners[0] and final.version == 1 and len(store.history(waybill.waybill_id)) == 1


def test_parties_see_the_waybill_and_strangers_get_404(client):
    from tests.builders import headers_for, make_org

    carrier_org, other_org = make_org("carrier"), make_org("carrier")
    driver = make_user("driver", org_id=carrier_org.org_id)
    waybill = new_waybill(state="assigned", driver_id=driver.user_id, carrier_id=carrier_org.org_id)
    stranger = make_user("driver", org_id=other_org.org_id)
    assert client.get(f"/api/waybills/{waybill.waybill_id}", headers=headers_for(driver)).status_code == 200
    assert client.get(f"/api/waybills/{waybill.waybill_id}", headers=headers_for(stranger)).status_code == 404
    mine = client.get("/api/waybills", headers=headers_for(driver)).json["items"]
    assert [w["id"] for w in mine] == [waybill.waybill_id]


# The rules alone, without DynamoDB: the state table and which claim steps a move needs.

LIFE = [
    "assign",
    "book",
    "check_in",
    "call",
    "enter",
    "weigh_tare",
    "weigh_gross",
    "release",
    "depart",
    "arrive",
    "unload",
    "confirm",
    "settle",
]


def test_a_load_walks_from_open_to_settled_through_the_table():
    state = "open"
    for action in LIFE:
        state = target_state(action, state)
    assert state == "settled"


def test_a_held_truck_goes_back_to_where_it_was_stopped():
    assert target_state("hold", "tare_weighed") == "held"
    assert target_state("unhold", "held", held_from="tare_weighed") == "tare_weighed"
    with pytest.raises(IllegalTransition):
        target_state("unhold", "held")  # nowhere to go back to


@pytest.mark.parametrize(
    "action,state", [("weigh_gross", "entered"), ("cancel", "booked"), ("hold", "in_transit"), ("settle", "unloaded")]
)
def test_a_step_out_of_order_is_refused_naming_the_state(action, state):
    with pytest.raises(IllegalTransition) as refused:
        target_state(action, state)
    assert refused.value.state == state


class FakeTx:
    """Records what a claim step writes, instead of a TransactWrite."""

    def __init__(self):
        self.writes = []

    def save(self, item, condition=None):
        self.writes.append(("claim", item.value, item.owner_id))

    def delete(self, item, condition=None):
        self.writes.append(("release", item.value))


def claim_writes(state, to_state, driver="u_a", changes=None):
    waybill = SimpleNamespace(waybill_id="wb_1", state=state, driver_id=driver)
    tx = FakeTx()
    steps = driver_claim_steps(waybill, to_state, changes or {})
    for step in steps:
        step.apply(tx)
    return tx.writes, steps


def test_taking_a_load_claims_the_driver():
    writes, [step] = claim_writes("open", "assigned", driver=None, changes={"driver_id": "u_a"})
    assert writes == [("claim", "active#u_a", "wb_1")]
    assert (step.error.status, step.error.code) == (409, "driver_busy")


def test_moving_on_between_active_states_needs_no_claim_step():
    assert claim_writes("booked", "checked_in") == ([], [])
    assert claim_writes("held", "called") == ([], [])
    assert claim_writes("called", "assigned") == ([], [])  # a no-show keeps the load, so keeps the driver


def test_a_new_driver_frees_the_old_one_and_claims_the_new():
    writes, _ = claim_writes("assigned", "assigned", changes={"driver_id": "u_b"})
    assert writes == [("release", "active#u_a"), ("claim", "active#u_b", "wb_1")]


@pytest.mark.parametrize(
    "state,to_state",
    [("arrived", "unloaded"), ("assigned", "open"), ("assigned", "cancelled"), ("in_transit", "unloaded")],
)
def test_leaving_the_active_states_frees_the_driver(state, to_state):
    assert claim_writes(state, to_state)[0] == [("release", "active#u_a")]

"""The transition table: legal moves write state, version and history together; illegal ones are 409s."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.common.errors import ApiError
from backend.waybills import service, store
from backend.waybills.models import Waybill
from backend.waybills.transitions import STATES, TRANSITIONS
from tests.builders import Actor, make_user, random_ref

T0 = 1_790_000_000_000
pytestmark = pytest.mark.usefixtures("app")  # binds the models to the session DynamoDB Local


def new_waybill(state="open", **fields):
    waybill = Waybill(random_ref("wb"), state=state, mine_id="mine_hll", product_id="raw", tonnage_kg=34000,
                      created_at=T0, updated_at=T0, **fields)
    return store.create(waybill)


@pytest.fixture
def dispatcher():
    return Actor(make_user("dispatcher"))


def test_transition_moves_state_bumps_version_and_records_history(dispatcher):
    waybill = new_waybill()
    moved = service.transition(waybill_id=waybill.waybill_id, action="assign", actor=dispatcher, now_ms=T0 + 5,
                               where={"type": "Point", "coordinates": [110.33, 38.93]}, changes={"driver_id": "u_x"})
    assert (moved.state, moved.version, moved.driver_id) == ("assigned", 1, "u_x")
    [event] = store.history(waybill.waybill_id)
    assert (event.action, event.from_state, event.to_state, event.actor_id, event.at) == \
        ("assign", "open", "assigned", dispatcher.user_id, T0 + 5)
    assert event.where["coordinates"] == [110.33, 38.93]


ILLEGAL = [(action, state) for action, (sources, _) in TRANSITIONS.items() for state in STATES
           if state not in sources]


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
            service.transition(waybill_id=waybill.waybill_id, action="assign", actor=dispatcher, now_ms=T0,
                               changes={"driver_id": driver})
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

"""State-filtered lists read the party's waybills in that state by key, newest first, whatever its history."""

import pytest

from backend.waybills import service, store
from backend.waybills.models import Waybill
from tests.builders import Actor, make_user, random_ref
from tests.callcount import count_calls

T0 = 1_790_000_000_000
pytestmark = pytest.mark.usefixtures("app")


def history(driver_id, count):
    with Waybill.batch_write() as batch:
        for i in range(count):
            batch.save(
                Waybill(
                    random_ref("wb"),
                    state="settled",
                    mine_id="mine_hll",
                    product_id="raw",
                    tonnage_kg=34000,
                    driver_id=driver_id,
                    created_at=T0 + i,
                    updated_at=T0 + i,
                )
            )


def test_a_state_list_is_the_states_items_newest_first_and_follows_transitions():
    mine = random_ref("mine")
    with Waybill.batch_write() as batch:
        for i in range(5):
            batch.save(
                Waybill(
                    random_ref("wb"),
                    state="settled",
                    mine_id=mine,
                    product_id="raw",
                    tonnage_kg=34000,
                    created_at=T0 + i,
                    updated_at=T0 + i,
                )
            )
    ids = [
        store.create(
            Waybill(
                random_ref("wb"),
                state="open",
                mine_id=mine,
                product_id="raw",
                tonnage_kg=34000,
                created_at=T0 + 10 + i,
                updated_at=T0 + 10 + i,
            )
        ).waybill_id
        for i in range(3)
    ]

    def listed(state):
        page, _ = store.list_by("mine", mine, limit=10, last_evaluated_key=None, state=state)
        return [w.waybill_id for w in page]

    assert listed("open") == ids[::-1]
    service.transition(
        waybill_id=ids[2],
        action="assign",
        actor=Actor(make_user("dispatcher")),
        now_ms=T0 + 50,
        changes={"driver_id": make_user("driver").user_id},
    )
    assert listed("open") == ids[1::-1] and listed("assigned") == [ids[2]]
    page, _ = store.list_by("mine", mine, limit=10, last_evaluated_key=None, state="assigned")
    assert page[0].state == "assigned" and page[0].product_id == "raw"  # whole items, not index keys
    settled, _ = store.list_by("mine", mine, limit=3, last_evaluated_key=None, state="settled")
    assert [w.updated_at for w in settled] == [T0 + 4, T0 + 3, T0 + 2]


def test_a_state_list_costs_the_same_calls_with_no_history_or_300_waybills():
    def cost(driver_id):
        with count_calls() as calls:
            page, _ = store.list_by("driver", driver_id, limit=20, last_evaluated_key=None, state="assigned")
        return page, calls

    new, old = make_user("driver"), make_user("driver")
    history(old.user_id, 300)
    (new_page, new_calls), (old_page, old_calls) = cost(new.user_id), cost(old.user_id)
    assert new_page == old_page == []
    assert new_calls == old_calls == ["Query"]

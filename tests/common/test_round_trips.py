"""A write costs its reads in one batch plus one transaction; a refusal one call; history costs nothing.

Counted with a botocore hook (tests/callcount.py), so a regression that adds a round trip fails here.
"""

import uuid

from backend.common.clock import now_ms
from backend.waybills import store as waybill_store
from backend.waybills.models import Waybill
from tests.appointments.builders import Crew, make_slot
from tests.appointments.builders import make_mine as make_appointment_mine
from tests.builders import headers_for, make_user, make_vehicle, random_ref
from tests.callcount import count_calls
from tests.orders.helpers import driver_with_truck, make_mine, place_bulk, place_retail, shipper_with_allocation

ONE_WRITE = ["BatchGetItem", "TransactWriteItems"]


def _grab(client, driver, truck, waybill_id, key=None):
    headers = headers_for(driver, idempotency_key=key)
    with count_calls() as calls:
        reply = client.post(f"/api/hall/{waybill_id}/grab", json={"vehicle_id": truck.vehicle_id}, headers=headers)
    return reply, calls


def _past_waybills(driver_id, count):
    """Finished loads in the driver's history, written directly (what a busy year leaves behind)."""
    with Waybill.batch_write() as batch:
        for _ in range(count):
            batch.save(
                Waybill(
                    random_ref("wb"),
                    state="confirmed",
                    mine_id=random_ref("mine"),
                    product_id="raw",
                    tonnage_kg=34_000,
                    driver_id=driver_id,
                    created_at=now_ms(),
                    updated_at=now_ms(),
                )
            )


def test_a_won_grab_is_one_batch_read_and_one_transaction(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    driver, truck = driver_with_truck()
    reply, calls = _grab(client, driver, truck, load["id"])
    assert reply.status_code == 200 and calls == ONE_WRITE


def test_a_lost_grab_costs_one_read(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    winner, winner_truck = driver_with_truck()
    assert _grab(client, winner, winner_truck, load["id"])[0].status_code == 200
    loser, loser_truck = driver_with_truck()
    reply, calls = _grab(client, loser, loser_truck, load["id"])
    # The win was this process's: the loser is refused from memory, for its key's record (test_settled_races.py).
    assert reply.status_code == 409 and calls == ["GetItem"]


def test_a_lost_grab_another_process_settled_costs_one_batch_read(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REFUSAL_MEMORY_MS", 0)  # as if another container had won it
    load = place_retail(client, make_user("buyer"), make_mine()).json
    winner, winner_truck = driver_with_truck()
    assert _grab(client, winner, winner_truck, load["id"])[0].status_code == 200
    reply, calls = _grab(client, *driver_with_truck(), load["id"])
    assert reply.status_code == 409 and calls == ["BatchGetItem"]


def test_a_driver_with_300_past_loads_grabs_in_the_same_calls_as_a_new_one(client):
    mine = make_mine()
    veteran, veteran_truck = driver_with_truck()
    _past_waybills(veteran.user_id, 300)
    newcomer, newcomer_truck = driver_with_truck()
    first = place_retail(client, make_user("buyer"), mine).json
    second = place_retail(client, make_user("buyer"), mine).json
    _, new_calls = _grab(client, newcomer, newcomer_truck, first["id"])
    reply, old_calls = _grab(client, veteran, veteran_truck, second["id"])
    assert reply.status_code == 200 and old_calls == new_calls == ONE_WRITE


def test_a_bulk_load_under_quota_also_grabs_in_two_calls_once_the_plan_exists(client):
    mine = make_mine(inventory_kg=34_000 * 10)
    shipper = shipper_with_allocation(mine, 34_000 * 4)
    loads = place_bulk(client, shipper, mine, 2, freight_fen_per_t=4000).json["items"]
    first_driver, first_truck = driver_with_truck()
    assert _grab(client, first_driver, first_truck, loads[0]["id"])[0].status_code == 200  # may make the plan
    driver, truck = driver_with_truck()
    reply, calls = _grab(client, driver, truck, loads[1]["id"])
    assert reply.status_code == 200 and calls == ONE_WRITE


def test_a_busy_driver_is_refused_by_the_transaction_without_reading_history(client):
    mine = make_mine()
    driver, truck = driver_with_truck()
    _past_waybills(driver.user_id, 50)
    first = place_retail(client, make_user("buyer"), mine).json
    second = place_retail(client, make_user("buyer"), mine).json
    assert _grab(client, driver, truck, first["id"])[0].status_code == 200
    other_truck = make_vehicle(driver.org_id)
    reply, calls = _grab(client, driver, other_truck, second["id"])
    assert reply.status_code == 409 and reply.json["error"]["code"] == "driver_busy"
    assert calls[:2] == ONE_WRITE and "Query" not in calls


def test_a_driver_whose_truck_is_on_the_road_is_told_it_is_their_own_load_before_any_write(client):
    mine = make_mine()
    driver, truck = driver_with_truck()
    first = place_retail(client, make_user("buyer"), mine).json
    second = place_retail(client, make_user("buyer"), mine).json
    assert _grab(client, driver, truck, first["id"])[0].status_code == 200
    reply, calls = _grab(client, driver, truck, second["id"])
    assert reply.status_code == 409 and reply.json["error"]["code"] == "driver_busy"
    assert calls == ["BatchGetItem", "GetItem"]  # the claim read in the batch, the load it names checked once


def test_a_replayed_grab_returns_the_first_reply_from_one_read(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    driver, truck = driver_with_truck()
    key = uuid.uuid4().hex
    first, _ = _grab(client, driver, truck, load["id"], key=key)
    again, calls = _grab(client, driver, truck, load["id"], key=key)
    assert again.status_code == 200 and again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert calls == ["GetItem"]  # the load is noted out of the hall: the key's record alone answers


def test_a_crash_after_the_write_leaves_nothing_half_done_and_the_replay_answers(client, monkeypatch):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    driver, truck = driver_with_truck()
    key = uuid.uuid4().hex
    from backend.common import transactions

    def crash():
        raise RuntimeError("the container died between the commit and the reply")

    with monkeypatch.context() as patch:
        patch.setattr(transactions, "request_committed", crash)
        crashed, _ = _grab(client, driver, truck, load["id"], key=key)
    assert crashed.status_code == 500
    waybill = waybill_store.get(load["id"])
    assert waybill.state == "assigned" and waybill.version == 1 and waybill.driver_id == driver.user_id
    again, _ = _grab(client, driver, truck, load["id"], key=key)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == load["id"] and again.json["driver_id"] == driver.user_id and again.json["version"] == 1


def test_a_booking_is_one_batch_read_and_one_transaction(client):
    mine = make_appointment_mine()
    crew = Crew(mine.mine_id)
    slot_id = make_slot(mine.mine_id)
    with count_calls() as calls:
        reply = client.post(
            "/api/appointments/bookings",
            json={"waybill_id": crew.waybill.waybill_id, "slot_id": slot_id},
            headers=headers_for(crew.user),
        )
    assert reply.status_code == 201 and calls == ONE_WRITE


def test_a_full_window_refuses_with_one_read_and_one_failed_condition(client):
    mine = make_appointment_mine()
    crew = Crew(mine.mine_id)
    slot_id = make_slot(mine.mine_id, capacity=1, booked=1)
    with count_calls() as calls:
        reply = client.post(
            "/api/appointments/bookings",
            json={"waybill_id": crew.waybill.waybill_id, "slot_id": slot_id},
            headers=headers_for(crew.user),
        )
    assert reply.status_code == 409 and reply.json["error"]["code"] == "slot_full" and calls == ["BatchGetItem"]


def test_one_truck_cannot_be_on_two_active_loads(client):
    mine = make_mine()
    first_driver, truck = driver_with_truck()
    second_driver = make_user("driver", org_id=first_driver.org_id)  # same carrier, same truck
    first = place_retail(client, make_user("buyer"), mine).json
    second = place_retail(client, make_user("buyer"), mine).json
    assert _grab(client, first_driver, truck, first["id"])[0].status_code == 200
    reply, calls = _grab(client, second_driver, truck, second["id"])
    assert reply.status_code == 409 and reply.json["error"]["code"] == "vehicle_busy"
    # The truck's claim rides in the grab's batch; the load it names is checked once (still active?), no write.
    assert "vehicle_id" in reply.json["error"]["details"]["fields"] and calls == ["BatchGetItem", "GetItem"]
    assert waybill_store.get(second["id"]).state == "open"


def test_a_truck_is_free_again_once_its_load_is_given_back(client):
    mine = make_mine()
    first_driver, truck = driver_with_truck()
    second_driver = make_user("driver", org_id=first_driver.org_id)
    first = place_retail(client, make_user("buyer"), mine).json
    second = place_retail(client, make_user("buyer"), mine).json
    assert _grab(client, first_driver, truck, first["id"])[0].status_code == 200
    back = client.post(f"/api/hall/{first['id']}/give-back", json={}, headers=headers_for(first_driver))
    assert back.status_code == 200
    assert _grab(client, second_driver, truck, second["id"])[0].status_code == 200


def test_a_lost_grab_does_not_reveal_the_load_s_new_state(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    winner, winner_truck = driver_with_truck()
    assert _grab(client, winner, winner_truck, load["id"])[0].status_code == 200
    other, other_truck = driver_with_truck()  # another carrier
    reply, _ = _grab(client, other, other_truck, load["id"])
    assert reply.status_code == 409 and reply.json["error"]["code"] == "load_not_in_hall"
    assert "assigned" not in reply.get_data(as_text=True) and reply.json["error"]["details"] == {}


def test_moving_a_booking_is_three_calls(client):
    mine = make_appointment_mine()
    crew = Crew(mine.mine_id)
    first, later = make_slot(mine.mine_id), make_slot(mine.mine_id, start_ms=now_ms() + 5 * 3_600_000)
    booked = client.post(
        "/api/appointments/bookings",
        json={"waybill_id": crew.waybill.waybill_id, "slot_id": first},
        headers=headers_for(crew.user),
    )
    assert booked.status_code == 201
    with count_calls() as calls:
        moved = client.post(
            f"/api/appointments/bookings/{booked.json['id']}/move",
            json={"slot_id": later},
            headers=headers_for(crew.user),
        )
    # The booking (its id names no waybill), then the waybill and the new window together, then the transaction.
    assert moved.status_code == 200 and calls == ["GetItem", *ONE_WRITE]


def test_any_number_of_reads_is_one_batch_per_99(app):
    from backend.auth import service as auth_service
    from backend.common import batch

    with app.app_context():
        users = [make_user("driver") for _ in range(3)]
        ids = [u.user_id for u in users] + [random_ref("u") for _ in range(147)]
        with count_calls() as calls:
            records = batch.get_all(*(auth_service.user_read(i) for i in ids))
    assert calls == ["BatchGetItem", "BatchGetItem"]
    assert [r.user_id for r in records[:3]] == ids[:3] and records[3:] == [None] * 147

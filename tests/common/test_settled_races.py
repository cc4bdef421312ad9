"""A settled race refuses newcomers from memory for a moment (common/recent_refusals.py), and nothing else changes:
a full window or a won load costs the next driver only the Idempotency-Key's record; a replay still gets its
first reply; freeing a seat or returning a load in this process forgets at once; the memory ends on time.
"""

import time
import uuid

import pytest

from backend.common.clock import now_ms
from backend.common.recent_refusals import RecentRefusals
from backend.waybills import store as waybill_store
from tests.appointments.builders import Crew, make_slot
from tests.appointments.builders import make_mine as make_appointment_mine
from tests.builders import headers_for, make_user
from tests.callcount import count_calls
from tests.orders.helpers import driver_with_truck, make_mine, place_retail

FULL_BATCH = ["BatchGetItem"]  # the waybill, the window, the caller's account and the key's record
KEY_ONLY = ["GetItem"]  # the key's record alone


def _book(client, crew, slot_id, key=None):
    with count_calls() as calls:
        reply = client.post(
            "/api/appointments/bookings",
            json={"waybill_id": crew.waybill.waybill_id, "slot_id": slot_id},
            headers=headers_for(crew.user, idempotency_key=key),
        )
    return reply, calls


def _grab(client, driver, truck, waybill_id, key=None):
    with count_calls() as calls:
        reply = client.post(
            f"/api/hall/{waybill_id}/grab",
            json={"vehicle_id": truck.vehicle_id},
            headers=headers_for(driver, idempotency_key=key),
        )
    return reply, calls


@pytest.fixture()
def mine(app):
    with app.app_context():
        yield make_appointment_mine()


def test_after_a_window_shows_full_the_next_driver_is_refused_from_the_key_s_record_alone(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=1, booked=1)
    first, calls = _book(client, Crew(mine.mine_id), slot_id)
    assert first.status_code == 409 and first.json["error"]["code"] == "slot_full" and calls == FULL_BATCH
    second, calls = _book(client, Crew(mine.mine_id), slot_id)
    assert second.status_code == 409 and second.json["error"] == {**first.json["error"], "request_id": ANY_ID}
    assert calls == KEY_ONLY


def test_the_last_seat_s_booking_replayed_after_the_window_filled_gets_its_201(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=1)
    crew, key = Crew(mine.mine_id), uuid.uuid4().hex
    won, _ = _book(client, crew, slot_id, key=key)
    assert won.status_code == 201
    assert _book(client, Crew(mine.mine_id), slot_id)[0].status_code == 409  # the window is noted full
    again, calls = _book(client, crew, slot_id, key=key)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == won.json and calls == KEY_ONLY
    assert again.headers["X-Request-Id"] and again.headers["X-Content-Type-Options"] == "nosniff"


def test_a_seat_freed_in_this_process_is_bookable_at_once(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=1)
    holder = Crew(mine.mine_id)
    booked, _ = _book(client, holder, slot_id)
    assert _book(client, Crew(mine.mine_id), slot_id)[0].status_code == 409
    cancelled = client.post(
        f"/api/appointments/bookings/{booked.json['id']}/cancel", json={}, headers=headers_for(holder.user)
    )
    assert cancelled.status_code == 200
    reply, calls = _book(client, Crew(mine.mine_id), slot_id)
    assert reply.status_code == 201 and calls == ["BatchGetItem", "TransactWriteItems"]


def test_a_window_given_more_seats_is_bookable_at_once(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=1, booked=1)
    assert _book(client, Crew(mine.mine_id), slot_id)[0].status_code == 409
    gate = make_user("gate", mine_id=mine.mine_id)
    raised = client.patch(f"/api/appointments/slots/{slot_id}", json={"capacity": 2}, headers=headers_for(gate))
    assert raised.status_code == 200
    assert _book(client, Crew(mine.mine_id), slot_id)[0].status_code == 201


def test_the_memory_ends_after_refusal_memory_ms(app, client, mine, monkeypatch):
    monkeypatch.setitem(app.config, "REFUSAL_MEMORY_MS", 150)
    slot_id = make_slot(mine.mine_id, capacity=1, booked=1)
    assert _book(client, Crew(mine.mine_id), slot_id)[1] == FULL_BATCH
    assert _book(client, Crew(mine.mine_id), slot_id)[1] == KEY_ONLY
    time.sleep(0.2)
    reply, calls = _book(client, Crew(mine.mine_id), slot_id)
    assert reply.status_code == 409 and calls == FULL_BATCH  # read again, and noted again


def test_with_the_memory_off_every_refusal_reads_the_window(app, client, mine, monkeypatch):
    monkeypatch.setitem(app.config, "REFUSAL_MEMORY_MS", 0)
    slot_id = make_slot(mine.mine_id, capacity=1, booked=1)
    for _ in range(2):
        reply, calls = _book(client, Crew(mine.mine_id), slot_id)
        assert reply.status_code == 409 and calls == FULL_BATCH


def test_a_note_is_for_its_own_window_only(client, mine):
    full = make_slot(mine.mine_id, capacity=1, booked=1)
    free = make_slot(mine.mine_id, capacity=1, start_ms=now_ms() + 5 * 3_600_000)
    assert _book(client, Crew(mine.mine_id), full)[0].status_code == 409
    assert _book(client, Crew(mine.mine_id), free)[0].status_code == 201


def test_after_a_load_is_won_the_next_grabs_are_refused_from_the_key_s_record_alone(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    winner, winner_truck = driver_with_truck()
    assert _grab(client, winner, winner_truck, load["id"])[0].status_code == 200
    for _ in range(2):
        reply, calls = _grab(client, *driver_with_truck(), load["id"])
        assert reply.status_code == 409 and reply.json["error"]["code"] == "load_not_in_hall" and calls == KEY_ONLY
        assert reply.json["error"]["details"] == {}  # the same reply as for a load never published


def test_a_load_won_elsewhere_is_noted_by_the_first_refusal_that_reads_it(app, client, monkeypatch):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    with monkeypatch.context() as patch:
        patch.setitem(app.config, "REFUSAL_MEMORY_MS", 0)  # the win notes nothing here: another container's
        assert _grab(client, *driver_with_truck(), load["id"])[0].status_code == 200
    first, calls = _grab(client, *driver_with_truck(), load["id"])
    assert first.status_code == 409 and calls == FULL_BATCH
    second, calls = _grab(client, *driver_with_truck(), load["id"])
    assert second.status_code == 409 and second.json["error"] == {**first.json["error"], "request_id": ANY_ID}
    assert calls == KEY_ONLY


def test_the_booking_that_takes_the_last_seat_notes_the_window_full(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=2, booked=1)
    assert _book(client, Crew(mine.mine_id), slot_id)[0].status_code == 201
    reply, calls = _book(client, Crew(mine.mine_id), slot_id)
    assert reply.status_code == 409 and reply.json["error"]["code"] == "slot_full" and calls == KEY_ONLY


def test_the_winner_s_grab_replayed_after_the_note_gets_its_first_reply(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    winner, truck = driver_with_truck()
    key = uuid.uuid4().hex
    won, _ = _grab(client, winner, truck, load["id"], key=key)
    assert _grab(client, *driver_with_truck(), load["id"])[0].status_code == 409
    again, calls = _grab(client, winner, truck, load["id"], key=key)
    assert again.status_code == 200 and again.json == won.json and calls == KEY_ONLY


def test_a_load_given_back_is_grabbable_at_once(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    winner, truck = driver_with_truck()
    assert _grab(client, winner, truck, load["id"])[0].status_code == 200
    assert _grab(client, *driver_with_truck(), load["id"])[0].status_code == 409
    back = client.post(f"/api/hall/{load['id']}/give-back", json={}, headers=headers_for(winner))
    assert back.status_code == 200
    reply, calls = _grab(client, *driver_with_truck(), load["id"])
    assert reply.status_code == 200 and calls == ["BatchGetItem", "TransactWriteItems"]
    assert waybill_store.get(load["id"]).state == "assigned"


def test_notes_are_bounded_and_forgotten(app):
    with app.app_context():
        notes = RecentRefusals(max_notes=3)
        for key in "abcd":
            notes.note(key)
        assert [notes.known(k) for k in "abcd"] == [False, True, True, True]  # the oldest went first
        notes.forget("c")
        assert not notes.known("c") and notes.known("d")


class _AnyId:
    def __eq__(self, other):
        return isinstance(other, str) and bool(other)


ANY_ID = _AnyId()


def test_a_refusal_whose_key_cannot_be_read_is_a_503_to_retry_not_a_500(client, mine, monkeypatch):
    from botocore.exceptions import ClientError

    from backend.common import store as common_store

    slot_id = make_slot(mine.mine_id, capacity=1, booked=1)
    assert _book(client, Crew(mine.mine_id), slot_id)[0].status_code == 409  # noted full

    def throttled(key):
        error = {"Error": {"Code": "ThrottlingException", "Message": "injected"}}
        raise ClientError(error, "GetItem")

    monkeypatch.setattr(common_store, "get_idempotency", throttled)
    reply, calls = _book(client, Crew(mine.mine_id), slot_id)
    assert reply.status_code == 503 and reply.json["error"]["code"] == "unavailable"
    assert reply.headers["Retry-After"] and reply.headers["X-Request-Id"] == reply.json["error"]["request_id"]
    assert reply.headers["X-Content-Type-Options"] == "nosniff"

"""`Idempotency-Attempt: 1` (the client's first send of a key) lets a refusal from a settled race skip the key's
look-up: nothing can be stored under a key never sent, so the stampede's refusals cost no round trip at all. From the
second send on, or without the header, the key is looked up as before, and a replay still gets its first reply."""

import uuid

import pytest

from backend.appointments.windows import service as windows
from tests.appointments.builders import Crew, make_slot
from tests.appointments.builders import make_mine as make_appointment_mine
from tests.builders import headers_for, make_user
from tests.callcount import count_calls
from tests.orders.helpers import driver_with_truck, make_mine, place_retail

KEY_ONLY = ["GetItem"]


def _headers(user, key, attempt):
    headers = headers_for(user, idempotency_key=key)
    if attempt is not None:
        headers["Idempotency-Attempt"] = attempt
    return headers


def _book(client, crew, slot_id, *, key=None, attempt="1"):
    with count_calls() as calls:
        reply = client.post(
            "/api/appointments/bookings",
            json={"waybill_id": crew.waybill.waybill_id, "slot_id": slot_id},
            headers=_headers(crew.user, key, attempt),
        )
    return reply, calls


def _grab(client, driver, truck, waybill_id, *, key=None, attempt="1"):
    with count_calls() as calls:
        reply = client.post(
            f"/api/hall/{waybill_id}/grab",
            json={"vehicle_id": truck.vehicle_id},
            headers=_headers(driver, key, attempt),
        )
    return reply, calls


@pytest.fixture()
def mine(app):
    with app.app_context():
        yield make_appointment_mine()


def test_a_first_send_to_a_window_noted_full_is_refused_without_a_round_trip(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=1, booked=1)
    first, _ = _book(client, Crew(mine.mine_id), slot_id)  # reads the window, notes it full
    reply, calls = _book(client, Crew(mine.mine_id), slot_id)
    assert reply.status_code == 409 and reply.json["error"]["code"] == "slot_full" and calls == []
    assert reply.json["error"]["message"] == first.json["error"]["message"]


def test_a_second_send_or_no_header_still_looks_the_key_up(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=1, booked=1)
    _book(client, Crew(mine.mine_id), slot_id)
    for attempt in ("2", None, "01"):
        reply, calls = _book(client, Crew(mine.mine_id), slot_id, attempt=attempt)
        assert reply.status_code == 409 and calls == KEY_ONLY, attempt


def test_the_last_seat_s_booking_sent_again_after_the_window_filled_gets_its_201(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=1)
    crew, key = Crew(mine.mine_id), uuid.uuid4().hex
    won, _ = _book(client, crew, slot_id, key=key)
    assert won.status_code == 201
    assert _book(client, Crew(mine.mine_id), slot_id)[1] == []  # noted full: a stranger's first send is free
    again, calls = _book(client, crew, slot_id, key=key, attempt="2")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == won.json and calls == KEY_ONLY


def test_a_client_that_calls_a_resend_its_first_is_refused_and_nothing_is_written_twice(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=1)
    crew, key = Crew(mine.mine_id), uuid.uuid4().hex
    assert _book(client, crew, slot_id, key=key)[0].status_code == 201
    reply, calls = _book(client, crew, slot_id, key=key)  # the same key, falsely "first"
    assert reply.status_code == 409 and calls == []
    assert windows.get_slot(slot_id).booked == 1
    mine_bookings = client.get("/api/appointments/bookings/mine", headers=headers_for(crew.user))
    assert [b["slot_id"] for b in mine_bookings.json["items"]] == [slot_id]


def test_a_first_send_to_a_window_with_seats_books_as_before(client, mine):
    slot_id = make_slot(mine.mine_id, capacity=2)
    reply, calls = _book(client, Crew(mine.mine_id), slot_id)
    assert reply.status_code == 201 and calls == ["BatchGetItem", "TransactWriteItems"]


def test_a_first_send_for_a_load_already_won_is_refused_without_a_round_trip(client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    winner, truck = driver_with_truck()
    key = uuid.uuid4().hex
    won, _ = _grab(client, winner, truck, load["id"], key=key)
    assert won.status_code == 200
    reply, calls = _grab(client, *driver_with_truck(), load["id"])
    assert reply.status_code == 409 and reply.json["error"]["code"] == "load_not_in_hall" and calls == []
    again, calls = _grab(client, winner, truck, load["id"], key=key, attempt="3")
    assert again.status_code == 200 and again.json == won.json and calls == KEY_ONLY


@pytest.mark.parametrize("attempt", ["0", "-1", "one", "1.5", "1234567", "²"])
def test_an_attempt_that_is_not_a_count_from_one_is_a_400_naming_the_header(client, mine, attempt):
    slot_id = make_slot(mine.mine_id, capacity=1)
    reply, calls = _book(client, Crew(mine.mine_id), slot_id, attempt=attempt)
    assert reply.status_code == 400 and "Idempotency-Attempt" in reply.json["error"]["details"]["fields"]
    assert calls == [] and windows.get_slot(slot_id).booked == 0

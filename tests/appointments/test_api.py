"""The appointments API over HTTP: booking, polling with ETag, manual check-in, call-in, events, gate pass."""

import pytest

from backend.appointments.gate_pass import service as gate_pass
from backend.common.clock import now_ms
from tests.appointments.builders import GATE, Crew, make_mine, make_slot
from tests.builders import headers_for, make_user

MIN = 60_000


@pytest.fixture()
def world(app):
    with app.app_context():
        mine = make_mine()
        crew = Crew(mine.mine_id)
        gate = make_user("gate", mine_id=mine.mine_id)
        yield mine, crew, gate


def book(client, crew, slot):
    return client.post(
        "/api/appointments/bookings",
        json={"waybill_id": crew.waybill.waybill_id, "slot_id": slot},
        headers=headers_for(crew.user),
    )


def test_driver_books_and_sees_the_window_fill(client, world):
    mine, crew, _ = world
    slot = make_slot(mine.mine_id, capacity=3)
    reply = book(client, crew, slot)
    assert reply.status_code == 201 and reply.json["stage"] == "booked"
    date = (
        reply.json["slot_id"]
        and client.get(f"/api/appointments/mines/{mine.mine_id}/slots", headers=headers_for(crew.user)).json
    )
    assert date is not None


def test_full_window_is_a_409_slot_full(client, world):
    mine, crew, _ = world
    slot = make_slot(mine.mine_id, capacity=0)
    reply = book(client, crew, slot)
    assert reply.status_code == 409 and reply.json["error"]["code"] == "slot_full"


def test_missing_slot_id_names_the_field(client, world):
    _, crew, _ = world
    reply = client.post(
        "/api/appointments/bookings", json={"waybill_id": crew.waybill.waybill_id}, headers=headers_for(crew.user)
    )
    assert reply.status_code == 400 and "slot_id" in reply.json["error"]["details"]["fields"]


def test_my_bookings_poll_answers_304_until_something_changes(client, world):
    mine, crew, _ = world
    book(client, crew, make_slot(mine.mine_id, start_ms=now_ms() + 20 * MIN))
    first = client.get("/api/appointments/bookings/mine", headers=headers_for(crew.user))
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(
        "/api/appointments/bookings/mine",
        headers=dict(headers_for(crew.user), **{"If-None-Match": first.headers["ETag"]}),
    )
    assert again.status_code == 304 and again.data == b""
    for at in (now_ms() - 20_000, now_ms() - 5_000):
        client.post(
            "/api/appointments/fixes",
            json={"lon": GATE[0], "lat": GATE[1], "accuracy_m": 8, "at_ms": at},
            headers=headers_for(crew.user),
        )
    changed = client.get(
        "/api/appointments/bookings/mine",
        headers=dict(headers_for(crew.user), **{"If-None-Match": first.headers["ETag"]}),
    )
    assert changed.status_code == 200 and changed.json["items"][0]["stage"] == "checked_in"
    assert changed.json["items"][0]["queue"]["position"] == 1


def test_gate_calls_and_admits_and_dispatcher_reads_the_events(client, world):
    mine, crew, gate = world
    booking_id = book(client, crew, make_slot(mine.mine_id, start_ms=now_ms() + 20 * MIN)).json["id"]
    client.post(
        f"/api/appointments/bookings/{booking_id}/manual-checkin",
        json={"reason": "GPS坏了"},
        headers=headers_for(crew.user),
    )
    pending = client.get(f"/api/appointments/mines/{mine.mine_id}/checkins", headers=headers_for(gate)).json
    assert [b["id"] for b in pending["items"]] == [booking_id]
    assert (
        client.post(f"/api/appointments/bookings/{booking_id}/confirm-checkin", headers=headers_for(gate)).json["stage"]
        == "checked_in"
    )
    refused = client.post(
        "/api/appointments/admit", json={"waybill_id": crew.waybill.waybill_id}, headers=headers_for(gate)
    )
    # Letting in a truck that was not called is an override: refused without its reason, naming the field.
    assert refused.status_code == 400 and refused.json["error"]["code"] == "not_called"
    assert "override_reason" in refused.json["error"]["details"]["fields"]
    called = client.post(f"/api/appointments/mines/{mine.mine_id}/call", json={"count": 3}, headers=headers_for(gate))
    assert [b["id"] for b in called.json["items"]] == [booking_id]
    admitted = client.post(
        "/api/appointments/admit", json={"waybill_id": crew.waybill.waybill_id}, headers=headers_for(gate)
    )
    assert admitted.json["state"] == "entered"
    dispatcher = make_user("dispatcher")
    events = client.get(f"/api/appointments/mines/{mine.mine_id}/events", headers=headers_for(dispatcher)).json
    actions = [e["action"] for e in events["items"]]
    assert {"manual_request", "check_in", "call", "admit"} <= set(actions)
    assert all(e["actor_id"] and e["at"] for e in events["items"])


def test_gate_staff_cannot_see_another_mines_queue(client, world):
    mine, _, _ = world
    stranger = make_user("gate", mine_id="mine_elsewhere")
    reply = client.get(f"/api/appointments/mines/{mine.mine_id}/queue", headers=headers_for(stranger))
    assert reply.status_code == 403


def test_capacity_cannot_go_below_booked(client, world):
    mine, crew, gate = world
    slot = make_slot(mine.mine_id, capacity=3)
    book(client, crew, slot)
    low = client.patch(f"/api/appointments/slots/{slot}", json={"capacity": 0}, headers=headers_for(gate))
    assert low.status_code == 409 and low.json["error"]["code"] == "below_booked"
    ok = client.patch(f"/api/appointments/slots/{slot}", json={"capacity": 1}, headers=headers_for(gate))
    assert ok.json["capacity"] == 1 and ok.json["free"] == 0


def test_closing_a_window_releases_its_bookings_and_tells_the_driver(client, world):
    mine, crew, gate = world
    slot = make_slot(mine.mine_id)
    booking_id = book(client, crew, slot).json["id"]
    closed = client.post(
        f"/api/appointments/slots/{slot}/close", json={"reason": "装车线检修"}, headers=headers_for(gate)
    )
    assert closed.json["released"] == 1 and closed.json["slot"]["booked"] == 0
    mine_view = client.get("/api/appointments/bookings/mine", headers=headers_for(crew.user)).json
    assert [n["id"] for n in mine_view["notices"]] == [booking_id]
    assert mine_view["notices"][0]["end_reason"] == "装车线检修"


def test_gate_pass_verifies_and_a_tampered_one_is_refused(client, world):
    mine, crew, gate = world
    booking_id = book(client, crew, make_slot(mine.mine_id)).json["id"]
    issued = client.get(f"/api/appointments/bookings/{booking_id}/pass", headers=headers_for(crew.user)).json
    assert issued["qr_svg"].startswith("<svg")
    claims = gate_pass.verify_pass(issued["token"], now_ms=now_ms())
    assert (claims["waybill_id"], claims["plate"]) == (crew.waybill.waybill_id, crew.vehicle.plate)
    checked = client.post("/api/appointments/passes/verify", json={"token": issued["token"]}, headers=headers_for(gate))
    assert checked.json["may_enter"] is False  # valid pass, but the truck has not been called
    head, mine_id, body, mac = issued["token"].split(".")
    forged = client.post(
        "/api/appointments/passes/verify", json={"token": f"{head}.{mine_id}.{body}x.{mac}"}, headers=headers_for(gate)
    )
    assert forged.status_code == 403 and forged.json["error"]["code"] == "invalid_pass"


def test_expired_pass_is_refused(app):
    with app.app_context():
        token = gate_pass.sign(
            {"waybill_id": "wb", "vehicle_id": "v", "plate": "陕K12345", "slot_id": "m@1", "mine_id": "m", "exp": 1000}
        )
        with pytest.raises(Exception) as error:
            gate_pass.verify_pass(token, now_ms=2000)
        assert error.value.details["reason"] == "expired"

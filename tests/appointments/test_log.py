"""The auditable queue over HTTP and the verify command: every change is chained, a driver sees who was called
ahead of them and why, an out-of-turn call or an override without a reason is refused naming the field, and a
tampered day fails verification."""

import pytest

from backend.appointments.log import verify
from backend.appointments.log.models import QueueEvent
from backend.common.clock import now_ms, shanghai_date
from tests.appointments.builders import Crew, make_mine, make_slot
from tests.builders import headers_for, make_user

MIN = 60_000


@pytest.fixture()
def day(app, client):
    """Two drivers booked and checked in (a first, b second), gate staff of the mine."""
    with app.app_context():
        mine = make_mine()
        gate = make_user("gate", mine_id=mine.mine_id)
        slot = make_slot(mine.mine_id, start_ms=now_ms() + 30 * MIN, capacity=5)
        crews = [Crew(mine.mine_id) for _ in range(2)]
        ids = []
        for crew in crews:
            booked = client.post(
                "/api/appointments/bookings",
                json={"waybill_id": crew.waybill.waybill_id, "slot_id": slot},
                headers=headers_for(crew.user),
            ).json
            ids.append(booked["id"])
            client.post(
                f"/api/appointments/bookings/{booked['id']}/manual-checkin",
                json={"reason": "GPS 没信号"},
                headers=headers_for(crew.user),
            )
            client.post(f"/api/appointments/bookings/{booked['id']}/confirm-checkin", headers=headers_for(gate))
        yield mine, gate, crews, ids


def _call(client, gate, mine, **body):
    return client.post(f"/api/appointments/mines/{mine.mine_id}/call", json=body, headers=headers_for(gate))


def test_calling_a_truck_out_of_turn_needs_a_reason_and_the_passed_over_driver_sees_it(client, day):
    mine, gate, (first, second), (first_id, second_id) = day
    refused = _call(client, gate, mine, booking_id=second_id)
    assert refused.status_code == 400 and "reason" in refused.json["error"]["details"]["fields"]
    called = _call(client, gate, mine, booking_id=second_id, reason="危化品车优先 (dispatch order 17)")
    assert called.status_code == 200 and called.json["items"][0]["id"] == second_id

    audit = client.get(f"/api/appointments/bookings/{first_id}/audit", headers=headers_for(first.user)).json
    assert audit["intact"] is True and audit["unexplained"] == 0
    assert [(e["action"], e["reason"]) for e in audit["placed_ahead"]] == [("skip", "危化品车优先 (dispatch order 17)")]
    assert [e["action"] for e in audit["mine"]] == ["book", "manual_request", "check_in"]
    head = client.get(
        f"/api/appointments/mines/{mine.mine_id}/chain-head",
        query_string={"date": audit["day"]},  # the window's day: tomorrow's when it starts just past midnight
        headers=headers_for(first.user),
    ).json
    assert head["hash"] == audit["head_hash"] and head["seq"] == audit["head_seq"]
    # Another driver cannot read this driver's audit.
    assert (
        client.get(f"/api/appointments/bookings/{first_id}/audit", headers=headers_for(second.user)).status_code == 404
    )


def test_an_override_without_a_reason_is_refused_naming_the_field(client, day):
    mine, gate, (first, _), _ = day
    refused = client.post(
        "/api/appointments/admit", json={"waybill_id": first.waybill.waybill_id}, headers=headers_for(gate)
    )
    assert refused.status_code == 400 and "override_reason" in refused.json["error"]["details"]["fields"]
    blank = client.post(
        "/api/appointments/admit",
        json={"waybill_id": first.waybill.waybill_id, "override_reason": "   "},
        headers=headers_for(gate),
    )
    assert blank.status_code == 400
    let_in = client.post(
        "/api/appointments/admit",
        json={"waybill_id": first.waybill.waybill_id, "override_reason": "矿长批准"},
        headers=headers_for(gate),
    )
    assert let_in.status_code == 200
    events = client.get(f"/api/appointments/mines/{mine.mine_id}/events", headers=headers_for(gate)).json["items"]
    override = [e for e in events if e["action"] == "override"]
    assert override[0]["reason"] == "矿长批准" and override[0]["actor_id"] == gate.user_id


def test_the_verify_command_passes_an_intact_day_and_fails_a_tampered_one(client, day):
    mine, gate, _, _ = day
    assert _call(client, gate, mine, count=1).status_code == 200
    today = shanghai_date(now_ms())
    lines = []
    assert verify.report(mine.mine_id, today, out=lines.append) is True
    assert lines[-1] == "intact"
    chain_id = f"{mine.mine_id}#{today}"
    entry = QueueEvent.get(chain_id, 2)
    entry.update(actions=[QueueEvent.reason.set("edited later")])
    lines = []
    assert verify.report(mine.mine_id, today, out=lines.append) is False
    assert any("seq 2: hash" in line for line in lines)
    entry.update(actions=[QueueEvent.reason.remove()])  # the original had no reason
    QueueEvent.get(chain_id, 3).delete()
    lines = []
    assert verify.report(mine.mine_id, today, out=lines.append) is False
    assert any("seq 4: sequence" in line for line in lines)


def test_the_call_rule_calls_as_many_as_the_measured_drive_needs(client, app):
    with app.app_context():
        mine = make_mine(lanes=4, per_hour=6, drive_minutes=6)  # a lane frees every 2.5 min; 6 min from the lot
        gate = make_user("gate", mine_id=mine.mine_id)
        slot = make_slot(mine.mine_id, start_ms=now_ms() + 30 * MIN, capacity=10)
        for _ in range(8):
            crew = Crew(mine.mine_id)
            booked = client.post(
                "/api/appointments/bookings",
                json={"waybill_id": crew.waybill.waybill_id, "slot_id": slot},
                headers=headers_for(crew.user),
            ).json
            client.post(
                f"/api/appointments/bookings/{booked['id']}/manual-checkin",
                json={"reason": "no GPS"},
                headers=headers_for(crew.user),
            )
            client.post(f"/api/appointments/bookings/{booked['id']}/confirm-checkin", headers=headers_for(gate))
        board = client.get(f"/api/appointments/mines/{mine.mine_id}/queue", headers=headers_for(gate)).json
        assert board["call_rule"]["ahead"] == 4  # ceil(6 / 2.5) + 1 buffer
        assert len(_call(client, gate, mine).json["items"]) == 4
        assert _call(client, gate, mine).json["items"] == []  # four on the road already


def test_each_booked_driver_is_told_when_to_reach_the_lot_spread_over_the_window(client, app):
    with app.app_context():
        mine = make_mine(drive_minutes=6)  # the lot is 6 min from the gate; 10 min arrival buffer (settings)
        start = now_ms() + 3 * 60 * MIN
        slot = make_slot(mine.mine_id, start_ms=start, capacity=5, minutes=60)  # a seat every 12 minutes
        start -= start % MIN
        told = []
        for _ in range(2):
            crew = Crew(mine.mine_id)
            client.post(
                "/api/appointments/bookings",
                json={"waybill_id": crew.waybill.waybill_id, "slot_id": slot},
                headers=headers_for(crew.user),
            )
            told.append(client.get("/api/appointments/bookings/mine", headers=headers_for(crew.user)).json)
    assert told[0]["items"][0]["arrive_by_ms"] == start - 16 * MIN
    assert told[1]["items"][0]["arrive_by_ms"] == start + 12 * MIN - 16 * MIN


def test_a_truck_called_ahead_before_midnight_for_a_window_just_after_it_is_in_the_audit(app):
    """A window at 00:20: its trucks check in and are called the evening before, in the previous day's chain."""
    from types import SimpleNamespace

    from backend.appointments.log import service as log
    from backend.common.clock import shanghai_midnight_ms
    from tests.builders import random_ref

    midnight = shanghai_midnight_ms("2026-12-02")
    mine_id, gate = random_ref("mine"), SimpleNamespace(user_id="u_gate", role="gate")

    def booking(name, place):
        return SimpleNamespace(
            booking_id=random_ref(name),
            waybill_id=random_ref("wb"),
            slot_id=f"{mine_id}#{midnight + 20 * MIN}",
            driver_id=random_ref("u"),
            mine_id=mine_id,
            slot_start_ms=midnight + 20 * MIN,
            created_at=midnight - 3 * 86_400_000,  # booked three days ahead
            checked_in_at=midnight - 15 * MIN,
            place=place,
        )

    mine, other = booking("bk", 1), booking("bk", 2)
    with app.app_context():
        for at, action, who, reason in [
            (mine.created_at, "book", mine, None),
            (mine.checked_in_at, "check_in", mine, None),
            (midnight - 12 * MIN, "check_in", other, None),
            (midnight - 5 * MIN, "skip", other, "危化品车优先"),  # called ahead of us, before midnight
            (midnight + 10 * MIN, "call", mine, None),
        ]:
            log.record(
                mine_id=mine_id,
                action=action,
                actor=gate,
                at=at,
                booking=who,
                reason=reason,
                detail={"queue_key": [midnight + 20 * MIN, who.place]},
            )
        audit = log.booking_audit(mine, now_ms=midnight + 30 * MIN)
    assert audit["day"] == "2026-12-02" and audit["intact"] is True
    assert [(e["action"], e["reason"]) for e in audit["placed_ahead"]] == [("skip", "危化品车优先")]
    assert [e["action"] for e in audit["mine"]] == ["book", "check_in", "call"]  # from three days' chains

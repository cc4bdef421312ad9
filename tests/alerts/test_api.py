"""Resolving alerts: cleared lifts the hold, confirmed blocks the vehicle.

Only the mine's staff and the dispatch centre see them.
"""

import pytest

from backend.accounts import store as accounts_store
from backend.waybills import store as waybills_store
from tests.builders import headers_for, make_user
from tests.gate.helpers import Truck, state_of


@pytest.fixture
def clone_alert(gate, client):
    """A called truck whose plate was read while its registered truck is 190 km away: held, alert open."""
    truck = Truck()
    truck.fix(east_m=180_000, north_m=60_000, ago_s=300)
    waybill = truck.waybill()
    sighting = gate.read(client, truck.plate).json["sighting"]
    assert state_of(waybill) == "held"
    return truck, waybill, sighting["alert_id"]


def resolve(client, user, alert_id, outcome, reason="查验行驶证与车架号"):
    return client.post(
        f"/api/alerts/{alert_id}/resolve", json={"outcome": outcome, "reason": reason}, headers=headers_for(user)
    )


def test_gate_staff_see_the_alert_with_its_evidence(client, clone_alert):
    _, waybill, alert_id = clone_alert
    staff = make_user("gate", mine_id="mine_hll")
    listed = client.get("/api/alerts?status=open", headers=headers_for(staff)).json["items"]
    assert alert_id in [a["id"] for a in listed]
    detail = client.get(f"/api/alerts/{alert_id}", headers=headers_for(staff)).json
    assert detail["waybill_id"] == waybill.waybill_id and detail["held"]
    assert detail["evidence"]["last_fix"] and detail["evidence"]["gate"]["lonlat"]
    assert detail["score"] >= detail["threshold"]


def test_clearing_lifts_the_hold(client, clone_alert):
    truck, waybill, alert_id = clone_alert
    reply = resolve(client, make_user("gate", mine_id="mine_hll"), alert_id, "cleared")
    assert reply.status_code == 200 and reply.json["status"] == "cleared"
    stored = waybills_store.get(waybill.waybill_id)
    assert stored.state == "called" and stored.hold_reason is None
    assert accounts_store.get_vehicle(truck.vehicle.vehicle_id).status == "active"


def test_confirming_blocks_the_vehicle_and_keeps_the_hold(client, clone_alert):
    truck, waybill, alert_id = clone_alert
    reply = resolve(client, make_user("dispatcher"), alert_id, "confirmed", "套牌车，已报警")
    assert reply.status_code == 200 and reply.json["status"] == "confirmed"
    assert state_of(waybill) == "held"
    vehicle = accounts_store.get_vehicle(truck.vehicle.vehicle_id)
    assert vehicle.status == "blocked" and "套牌车" in vehicle.block_reason


def test_an_alert_is_resolved_only_once(client, clone_alert):
    _, _, alert_id = clone_alert
    staff = make_user("gate", mine_id="mine_hll")
    resolve(client, staff, alert_id, "cleared")
    reply = resolve(client, staff, alert_id, "confirmed")
    assert reply.status_code == 409 and reply.json["error"]["code"] == "alert_resolved"


def test_a_reason_is_required(client, clone_alert):
    reply = resolve(client, make_user("gate", mine_id="mine_hll"), clone_alert[2], "cleared", reason="")
    assert reply.status_code == 400 and "reason" in reply.json["error"]["details"]["fields"]


def test_gate_staff_of_another_mine_cannot_see_or_resolve(client, clone_alert):
    other = make_user("gate", mine_id="mine_ntt")
    alert_id = clone_alert[2]
    assert client.get(f"/api/alerts/{alert_id}", headers=headers_for(other)).status_code == 404
    assert resolve(client, other, alert_id, "cleared").status_code == 404
    assert client.get("/api/alerts?mine_id=mine_hll", headers=headers_for(other)).status_code == 403


def test_a_driver_cannot_list_alerts(client, clone_alert):
    assert client.get("/api/alerts", headers=headers_for(clone_alert[0].driver)).status_code == 403


def test_another_open_alert_keeps_the_truck_held(gate, client, clone_alert):
    truck, waybill, alert_id = clone_alert
    gate.read(client, truck.plate, plate_color="blue")  # a second alert on the same waybill
    resolve(client, make_user("gate", mine_id="mine_hll"), alert_id, "cleared")
    assert state_of(waybill) == "held"


def test_dispatch_sees_open_alerts_of_every_mine(client, clone_alert):
    listed = client.get("/api/alerts?limit=100", headers=headers_for(make_user("dispatcher"))).json["items"]
    assert clone_alert[2] in [a["id"] for a in listed]


def test_holds_list_shows_the_reason(client, clone_alert):
    _, waybill, _ = clone_alert
    holds = client.get("/api/gate/holds?limit=100", headers=headers_for(make_user("gate", mine_id="mine_hll"))).json
    reasons = {h["id"]: h["hold_reason"] for h in holds["items"]}
    assert "fake-plate" in reasons[waybill.waybill_id]


def test_dispatchs_all_tab_shows_resolved_alerts_too(client, clone_alert):
    _, _, alert_id = clone_alert
    dispatcher = make_user("dispatcher")
    resolve(client, dispatcher, alert_id, "cleared")
    everything = client.get("/api/alerts?limit=100", headers=headers_for(dispatcher)).json["items"]
    listed = {a["id"]: a["status"] for a in everything}
    assert listed[alert_id] == "cleared"
    assert "open" in listed.values() or len(everything) == 100
    only_open = client.get("/api/alerts?status=open&limit=100", headers=headers_for(dispatcher)).json["items"]
    assert alert_id not in [a["id"] for a in only_open]


def test_all_alerts_page_newest_first_without_repeats(client, clone_alert):
    from backend.alerts import service as alerts_service
    from backend.common.clock import now_ms
    from backend.waybills.service import SystemActor

    dispatcher = make_user("dispatcher")
    resolve(client, dispatcher, clone_alert[2], "confirmed", "套牌车")
    alerts_service.raise_alert(
        kind="weighing", mine_id="mine_hll", reason="超载", actor=SystemActor("t"), now_ms=now_ms(), hold=False
    )  # newer and still open
    seen, cursor = [], None
    for _ in range(3):
        reply = client.get(
            "/api/alerts?limit=4" + (f"&cursor={cursor}" if cursor else ""), headers=headers_for(dispatcher)
        ).json
        seen += reply["items"]
        cursor = reply["next_cursor"]
        if not cursor:
            break
    stamps = [(a["created_at"], a["id"]) for a in seen]
    assert stamps == sorted(stamps, reverse=True) and len(set(stamps)) == len(stamps)
    assert len({a["status"] for a in seen}) >= 2  # open and resolved ones in the one list

"""Trust through HTTP and DynamoDB Local: ratings, explanation, tenancy, complaints, appeals, hall gates, suspension."""

import json

from backend.alerts import store as alerts_store
from backend.catalogue import directory
from backend.common.clock import now_ms
from backend.trust import complaints, listeners, ratings, service
from tests.builders import headers_for, make_org, make_user, random_ref
from tests.callcount import count_calls
from tests.orders.helpers import driver_with_truck, grab, make_mine, place_retail
from tests.trust.builders import delivered

HOUR = 3_600_000


def _delivered(**kwargs):
    return delivered(**kwargs)


def _me(client, user):
    reply = client.get("/api/trust/me", headers=headers_for(user))
    assert reply.status_code == 200, reply.json
    return reply.json


def _signal(standing, name):
    return next(row for row in standing["breakdown"] if row["signal"] == name)


def _rate(client, user, waybill_id, target="driver", stars=5, tags=()):
    body = {"waybill_id": waybill_id, "target": target, "stars": stars, "tags": list(tags)}
    return client.post("/api/trust/ratings", json=body, headers=headers_for(user))


def test_a_buyer_rates_and_the_driver_sees_it_aggregated_without_the_rater(client):
    waybill, buyer, driver = _delivered()
    assert _rate(client, buyer, waybill.waybill_id, stars=5, tags=["polite"]).status_code == 200
    mine = _me(client, driver)
    assert mine["ratings"] == {"count": 1, "average": 5.0, "tags": {"polite": 1}}
    assert _signal(mine, "rating_good")["count"] == 1 and mine["loads"] == 1
    events = client.get("/api/trust/me/events", headers=headers_for(driver)).json["items"]
    assert {e["signal"] for e in events} == {"completed", "rating_good"}
    shown = json.dumps([mine, events])
    rating_event = next(e for e in events if e["signal"] == "rating_good")
    assert rating_event["waybill_id"] is None and rating_event["at"] is None
    assert buyer.user_id not in shown and buyer.name not in shown


def test_a_rating_is_edited_within_24_hours_and_locked_after(app, client):
    waybill, buyer, driver = _delivered()
    assert _rate(client, buyer, waybill.waybill_id, stars=5).status_code == 200
    assert _rate(client, buyer, waybill.waybill_id, stars=1, tags=["rude"]).status_code == 200
    mine = _me(client, driver)
    assert mine["ratings"]["count"] == 1 and mine["ratings"]["average"] == 1.0
    assert _signal(mine, "rating_good")["count"] == 0 and _signal(mine, "rating_bad")["count"] == 1
    from backend.common.access import Principal

    with app.app_context():
        late = now_ms() + 25 * HOUR
        try:
            ratings.rate(
                principal=Principal(buyer.user_id, "buyer"),
                waybill_id=waybill.waybill_id,
                target="driver",
                stars=3,
                tags=[],
                now_ms=late,
            )
            raise AssertionError("a day-old rating changed")
        except Exception as error:  # noqa: BLE001
            assert getattr(error, "code", None) == "rating_locked"


def test_only_the_loads_parties_rate_it_and_only_after_delivery(client):
    waybill, buyer, driver = _delivered()
    stranger = make_user("buyer")
    assert _rate(client, stranger, waybill.waybill_id).status_code == 404
    assert _rate(client, driver, waybill.waybill_id, target="driver").status_code == 400  # a driver rates the payer
    assert _rate(client, driver, waybill.waybill_id, target="buyer", stars=2).status_code == 200
    assert _signal(_me(client, buyer), "rating_bad")["count"] == 1
    bad = _rate(client, buyer, waybill.waybill_id, stars=9)
    assert bad.status_code == 400 and "stars" in bad.json["error"]["details"]["fields"]


def test_a_carrier_never_sees_another_carriers_events_but_sees_its_drivers(client):
    waybill, _, driver = _delivered()
    own = make_user("carrier", org_id=waybill.carrier_id)
    other = make_user("carrier", org_id=make_org("carrier").org_id)
    assert client.get(f"/api/trust/parties/{waybill.carrier_id}/events", headers=headers_for(own)).status_code == 200
    assert client.get(f"/api/trust/parties/{waybill.carrier_id}/events", headers=headers_for(other)).status_code == 404
    assert client.get(f"/api/trust/parties/{driver.user_id}", headers=headers_for(own)).status_code == 200
    assert client.get(f"/api/trust/parties/{driver.user_id}", headers=headers_for(other)).status_code == 404


def test_a_shipper_sees_carriers_grades_but_not_their_events(client):
    waybill, _, _ = _delivered()
    shipper = make_user("shipper", org_id=make_org("shipper").org_id)
    reply = client.get(f"/api/trust/grades?party_ids={waybill.carrier_id}", headers=headers_for(shipper))
    assert reply.status_code == 200 and reply.json["items"][0]["loads"] == 1
    assert "breakdown" not in reply.json["items"][0]
    assert client.get(f"/api/trust/parties/{waybill.carrier_id}", headers=headers_for(shipper)).status_code == 404


def test_a_complaint_is_answered_with_fault_and_an_upheld_appeal_gives_the_points_back(client):
    waybill, buyer, driver = _delivered()
    dispatcher = make_user("dispatcher")
    body = {"category": "attitude", "text": "司机态度差", "waybill_id": waybill.waybill_id, "about": "driver"}
    filed = client.post("/api/trust/complaints", json=body, headers=headers_for(buyer))
    assert filed.status_code == 201 and 23 * HOUR < filed.json["due_in_ms"] <= 24 * HOUR
    queue = client.get("/api/trust/complaints?limit=100", headers=headers_for(dispatcher)).json["items"]
    assert filed.json["id"] in {c["id"] for c in queue}
    before = _me(client, driver)["score"]
    answer = {"outcome": "fault", "response": "查实，已扣分"}
    reply = client.post(
        f"/api/trust/complaints/{filed.json['id']}/answer", json=answer, headers=headers_for(dispatcher)
    )
    assert reply.status_code == 200 and reply.json["at_fault_id"] == driver.user_id
    assert _me(client, driver)["score"] == before - 8
    told = client.get("/api/inbox", headers=headers_for(buyer)).json["items"]
    answered = [m for m in told if m["kind"] == "complaint_answered"]
    assert len(answered) == 1 and answered[0]["link"] == "#/trust-complaints"
    assert answered[0]["params"]["reason"] == "查实，已扣分"
    event = next(
        e
        for e in client.get("/api/trust/me/events", headers=headers_for(driver)).json["items"]
        if e["signal"] == "complaint_at_fault"
    )
    appeal = client.post(
        "/api/trust/appeals", json={"event_id": event["event_id"], "reason": "窗口关闭"}, headers=headers_for(driver)
    )
    assert appeal.status_code == 201
    again = client.post(
        "/api/trust/appeals", json={"event_id": event["event_id"], "reason": "again"}, headers=headers_for(driver)
    )
    assert again.status_code == 409
    decided = client.post(
        f"/api/trust/appeals/{appeal.json['id']}/decide",
        json={"upheld": True, "reason": "属实"},
        headers=headers_for(dispatcher),
    )
    assert decided.status_code == 200 and decided.json["status"] == "upheld"
    after = _me(client, driver)
    assert after["score"] == before and after["snapshot"]["score"] == before


def test_an_unanswered_complaint_alerts_dispatch_once_after_24_hours(app, client):
    waybill, buyer, _ = _delivered()
    body = {"category": "late", "text": "迟到", "waybill_id": waybill.waybill_id, "about": "driver"}
    filed = client.post("/api/trust/complaints", json=body, headers=headers_for(buyer)).json
    with app.app_context():
        complaints.alert_overdue(now_ms=filed["due_at"] - 1)
        assert [a for a in alerts_store.open_for_waybill(waybill.waybill_id) if a.kind == "complaint_overdue"] == []
        complaints.alert_overdue(now_ms=filed["due_at"] + 1)
        complaints.alert_overdue(now_ms=filed["due_at"] + 2)
        mine = [a for a in alerts_store.open_for_waybill(waybill.waybill_id) if a.kind == "complaint_overdue"]
    assert len(mine) == 1 and filed["id"] in mine[0].reason


def test_a_shippers_minimum_grade_hides_its_load_and_refuses_the_grab(client):
    mine = make_mine()
    buyer = make_user("buyer")
    assert (
        client.put("/api/trust/policy", json={"min_driver_grade": "A"}, headers=headers_for(buyer)).status_code == 200
    )
    load = place_retail(client, buyer, mine).json
    driver, truck = driver_with_truck()
    hall = client.get(f"/api/hall?mine_id={mine}", headers=headers_for(driver)).json
    assert load["id"] not in {row["id"] for row in hall["items"]} and hall["trust"]["hidden_by_grade"] >= 1
    refused = grab(client, driver, truck, load["id"])
    assert refused.status_code == 409 and refused.json["error"]["code"] == "grade_too_low"
    client.put("/api/trust/policy", json={"min_driver_grade": None}, headers=headers_for(buyer))
    assert grab(client, driver, truck, load["id"]).status_code == 200


def test_a_suspended_driver_sees_no_hall_and_is_refused_in_one_call_until_lifted(client):
    mine = make_mine()
    load = place_retail(client, make_user("buyer"), mine).json
    driver, truck = driver_with_truck()
    dispatcher = make_user("dispatcher")
    path = f"/api/trust/parties/{driver.user_id}/suspension"
    assert client.post(path, json={"suspended": True}, headers=headers_for(dispatcher)).status_code == 400
    client.post(path, json={"suspended": True, "reason": "复核中"}, headers=headers_for(dispatcher))
    hall = client.get(f"/api/hall?mine_id={mine}", headers=headers_for(driver)).json
    assert hall["items"] == [] and hall["trust"]["suspended"] is True
    with count_calls() as calls:
        refused = grab(client, driver, truck, load["id"])
    assert refused.status_code == 403 and refused.json["error"]["code"] == "party_suspended"
    assert calls == ["BatchGetItem"]
    client.post(path, json={"suspended": False}, headers=headers_for(dispatcher))
    assert grab(client, driver, truck, load["id"]).status_code == 200


def test_a_confirmed_fake_plate_sets_the_score_to_zero_and_suspends(app, client):
    waybill, _, driver = _delivered()
    with app.app_context():
        listeners.on_fake_plate_confirmed(waybill_id=waybill.waybill_id, now_ms=now_ms(), alert_id=random_ref("al"))
    standing = _me(client, driver)
    assert standing["score"] == 0 and standing["suspended"] and standing["hard_gates"] == ["fake_plate"]


def test_cancelling_after_the_grab_counts_against_who_cancelled(client):
    mine = make_mine()
    buyer = make_user("buyer")
    load = place_retail(client, buyer, mine).json
    driver, truck = driver_with_truck()
    assert grab(client, driver, truck, load["id"]).status_code == 200
    assert client.post(f"/api/orders/{load['id']}/cancel", json={}, headers=headers_for(buyer)).status_code == 200
    assert _signal(_me(client, buyer), "cancel_after_grab")["count"] == 1
    other = place_retail(client, buyer, mine).json
    assert grab(client, driver, truck, other["id"]).status_code == 200
    back = client.post(f"/api/hall/{other['id']}/give-back", json={}, headers=headers_for(driver))
    assert back.status_code == 200
    assert _signal(_me(client, driver), "cancel_after_grab")["count"] == 1


def test_loss_beyond_the_allowance_counts_for_the_haulers(client):
    waybill, buyer, driver = _delivered(net_kg=34_000, received_kg=33_000)
    assert _signal(_me(client, driver), "loss_over_allowance")["count"] == 1
    assert all(row["signal"] != "loss_over_allowance" for row in _me(client, buyer)["breakdown"])


def test_a_replayed_delivery_event_counts_once(app, client):
    waybill, _, driver = _delivered()
    with app.app_context():
        listeners.on_delivery_confirmed(waybill_id=waybill.waybill_id, now_ms=now_ms(), waybill=waybill)
    assert _me(client, driver)["loads"] == 1


def test_the_weights_table_is_served(client):
    table = client.get("/api/trust/weights", headers=headers_for(make_user("driver"))).json
    assert {s["signal"] for s in table["signals"]} >= {"no_show", "fake_plate", "complaint_at_fault"}
    assert service.weights_table() == table


def test_a_complaint_carries_its_uploaded_photos_and_refuses_someone_elses(client):
    waybill, buyer, _ = _delivered()
    grant = client.post(
        "/api/trust/complaints/uploads",
        json={"kind": "photo", "content_type": "image/jpeg", "size_bytes": 4},
        headers=headers_for(buyer),
    ).json
    assert client.put(grant["url"], data=b"\xff\xd8\xff\xd9", headers=grant["headers"]).status_code == 200
    body = {"category": "cargo_loss", "text": "少了一吨", "waybill_id": waybill.waybill_id, "about": "driver"}
    filed = client.post("/api/trust/complaints", json=dict(body, photo_keys=[grant["key"]]), headers=headers_for(buyer))
    assert filed.status_code == 201 and len(filed.json["photos"]) == 1
    other = _delivered()[1]
    stolen = client.post(
        "/api/trust/complaints",
        json={
            "category": "other",
            "text": "x",
            "about_id": buyer.user_id,
            "about": "buyer",
            "photo_keys": [grant["key"]],
        },
        headers=headers_for(other),
    )
    assert stolen.status_code == 400 and "photo_keys.0" in stolen.json["error"]["details"]["fields"]


def test_suspension_takes_a_driver_and_a_carrier_out_of_carrier_dispatch(client):
    from tests.dispatch.test_carrier_api import entrusted_load

    dispatcher = make_user("dispatcher")
    org = make_org("carrier")
    boss = make_user("carrier", org_id=org.org_id)
    driver, truck = driver_with_truck(org.org_id)
    _, load = entrusted_load(client, org.org_id)
    body = {"driver_id": driver.user_id, "vehicle_id": truck.vehicle_id}
    assign = f"/api/dispatch/loads/{load['id']}/assign"

    def suspend(party_id, on):
        path = f"/api/trust/parties/{party_id}/suspension"
        reply = client.post(path, json={"suspended": on, "reason": "复核"}, headers=headers_for(dispatcher))
        assert reply.status_code == 200

    suspend(driver.user_id, True)
    refused = client.post(assign, json=body, headers=headers_for(boss))
    assert refused.status_code == 403 and refused.json["error"]["code"] == "party_suspended"
    suspend(driver.user_id, False)
    suspend(org.org_id, True)
    refused = client.post(assign, json=body, headers=headers_for(boss))
    assert refused.status_code == 403 and refused.json["error"]["code"] == "party_suspended"
    suspend(org.org_id, False)
    assert client.post(assign, json=body, headers=headers_for(boss)).status_code == 200


def test_checking_in_by_the_end_of_the_window_counts_on_time_once(app, client):
    from types import SimpleNamespace

    driver = make_user("driver", org_id=make_org("carrier").org_id)
    now = now_ms()
    booking = SimpleNamespace(
        booking_id=random_ref("bk"), driver_id=driver.user_id, waybill_id=random_ref("wb"), slot_end_ms=now + HOUR
    )
    with app.app_context():
        listeners.on_checked_in(booking=booking, at_ms=now, now_ms=now)
        listeners.on_checked_in(booking=booking, at_ms=now, now_ms=now)  # checked out and in again
        late = SimpleNamespace(**dict(vars(booking), booking_id=random_ref("bk"), slot_end_ms=now - HOUR))
        listeners.on_checked_in(booking=late, at_ms=now, now_ms=now)
    assert _signal(_me(client, driver), "on_time")["count"] == 1


def test_the_credit_gate_reads_in_the_hall_pages_own_batch(client):
    mine = make_mine()
    for _ in range(3):
        place_retail(client, make_user("buyer"), mine)  # three payers, read with their people
    driver, _ = driver_with_truck()
    dispatcher = make_user("dispatcher")
    with count_calls() as as_dispatch:
        client.get(f"/api/hall?mine_id={mine}", headers=headers_for(dispatcher))
    directory.forget()  # both read the mine directory afresh
    with count_calls() as as_driver:
        reply = client.get(f"/api/hall?mine_id={mine}", headers=headers_for(driver))
    assert len(reply.json["items"]) == 3
    assert as_driver == as_dispatch == ["Query", "Query", "BatchGetItem"]


def test_loads_the_gate_hides_among_the_nearest_are_filled_in_from_further_away(client):
    mine = make_mine()
    picky = make_user("buyer")
    assert (
        client.put("/api/trust/policy", json={"min_driver_grade": "A"}, headers=headers_for(picky)).status_code == 200
    )
    hidden = [place_retail(client, picky, mine).json["id"] for _ in range(2)]  # the oldest: first at equal distance
    shown = [place_retail(client, make_user("buyer"), mine).json["id"] for _ in range(3)]
    driver, _ = driver_with_truck()
    with count_calls() as calls:
        reply = client.get(f"/api/hall?mine_id={mine}&limit=2", headers=headers_for(driver)).json
    assert [row["id"] for row in reply["items"]] == shown[:2]
    assert all(row["shipper_name"] for row in reply["items"])
    assert reply["trust"]["hidden_by_grade"] == 2 and not set(hidden) & {row["id"] for row in reply["items"]}
    # The page's batch (both hidden); the rest's standings; the people of the two that fill in.
    assert calls == ["Query", "Query", "BatchGetItem", "BatchGetItem", "BatchGetItem"]


def test_settling_soon_after_the_receipt_counts_for_the_payer_and_late_against(app, client):
    fast, buyer, _ = _delivered()
    slow, _, _ = _delivered(buyer=buyer)
    with app.app_context():
        listeners.on_settled(waybill_id=fast.waybill_id, now_ms=now_ms() + 2 * HOUR, waybill=fast)
        listeners.on_settled(waybill_id=slow.waybill_id, now_ms=now_ms() + 80 * HOUR, waybill=slow)
        listeners.on_settled(waybill_id=slow.waybill_id, now_ms=now_ms() + 81 * HOUR, waybill=slow)  # replayed
    mine = _me(client, buyer)
    assert _signal(mine, "paid_fast")["count"] == 1 and _signal(mine, "paid_slow")["count"] == 1


def test_a_rating_under_appeal_can_no_longer_be_changed(client):
    waybill, buyer, driver = _delivered()
    assert _rate(client, buyer, waybill.waybill_id, stars=1).status_code == 200
    event = next(
        e
        for e in client.get("/api/trust/me/events", headers=headers_for(driver)).json["items"]
        if e["signal"] == "rating_bad"
    )
    body = {"event_id": event["event_id"], "reason": "恶意差评"}
    assert client.post("/api/trust/appeals", json=body, headers=headers_for(driver)).status_code == 201
    edit = _rate(client, buyer, waybill.waybill_id, stars=2)
    assert edit.status_code == 409 and edit.json["error"]["code"] == "rating_locked"


def test_a_lost_signal_in_transit_is_a_track_gap_for_the_driver_and_carrier_once(app, client):
    from backend.alerts import service as alerts

    waybill, _, driver = _delivered()
    with app.app_context():
        for _ in range(2):  # the watcher runs again: the same episode raises nothing new
            alerts.raise_episode_alert(
                kind="signal_lost",
                episode=f"{waybill.waybill_id}_1",
                mine_id=waybill.mine_id,
                reason="no fix",
                now_ms=now_ms(),
                waybill_id=waybill.waybill_id,
                carrier_id=waybill.carrier_id,
            )
    assert _signal(_me(client, driver), "track_gap")["count"] == 1
    boss = make_user("carrier", org_id=waybill.carrier_id)
    assert _signal(_me(client, boss), "track_gap")["count"] == 1

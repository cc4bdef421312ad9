"""The feed's whole life through DynamoDB Local and the province sandbox over real HTTP."""

import pytest

from backend.accounts import store as accounts_store
from backend.config import setting
from backend.regfeed import consent, transport
from backend.regfeed import service as regfeed
from tests.builders import headers_for, make_user
from tests.regfeed.helpers import MIN, delivered, doc, run_until

KINDS = ("vehicle", "driver", "waybill", "positions", "fund_flow")


@pytest.fixture
def adapter(app):
    with app.app_context():
        return transport.from_settings(setting)


def _ids(world, kinds=KINDS):
    subjects = {"vehicle": world["vehicle"].vehicle_id, "driver": world["driver"].user_id}
    return [regfeed.doc_id(kind, subjects.get(kind, world["waybill_id"])) for kind in kinds]


def _uploads(sandbox, ref):
    return [u for u in sandbox.uploads() if u["ref"] == ref]


def test_a_delivered_and_settled_truck_ends_with_every_document_accepted(app, adapter, province_sandbox):
    with app.app_context():
        world = delivered()
        found, _ = run_until(adapter, _ids(world), ("accepted",), now=world["done_at"], mines=[world["mine_id"]])
    waybill, flow = found[_ids(world, ["waybill"])[0]], found[_ids(world, ["fund_flow"])[0]]
    assert waybill.amount_fen == flow.amount_fen > 0  # what the carrier was paid is what the waybill declared
    sent = _uploads(province_sandbox, waybill.message_ref)
    assert len(sent) == 1 and sent[0]["document"] == "WLHY_YD1001"
    body = sent[0]["body"]
    assert body["VehicleInfo"]["GoodsInfo"][0]["GoodsItemGrossWeight"] == "33500.000"
    assert body["ConsignorInfo"]["CountrySubdivisionCode"] == "610881"  # the mine near Shenmu
    assert body["ActualCarrierInfo"]["ActualCarrierID"] is None or len(body["ActualCarrierInfo"]["ActualCarrierID"])
    positions = _uploads(province_sandbox, found[_ids(world, ["positions"])[0]].message_ref)[0]["body"]
    assert {p["Source"] for p in positions["PositionList"]} == {"terminal"}  # no consent: no phone positions


def test_a_rejected_waybill_is_corrected_and_resent_under_a_new_reference(app, client, adapter, province_sandbox):
    admin = make_user("admin")
    with app.app_context():
        world = delivered(settle=False)
        province_sandbox.script(document="WLHY_YD1001", subject=world["waybill_id"], code="3005",
                                message="ConsigneeID: required for a company consignee")  # fmt: skip
        (doc_id,) = _ids(world, ["waybill"])
        found, now = run_until(adapter, [doc_id], ("rejected",), now=world["done_at"], mines=[world["mine_id"]])
    rejected = found[doc_id]
    assert rejected.reject_code == "3005" and "ConsigneeID" in rejected.reject_reason
    listed = client.get("/api/regfeed/documents?state=rejected&limit=100", headers=headers_for(admin)).json["items"]
    assert doc_id in [d["id"] for d in listed]
    reply = client.post(f"/api/regfeed/documents/{doc_id}/resend", headers=headers_for(admin))
    assert reply.status_code == 200 and reply.json["state"] == "corrected"
    again = client.post(f"/api/regfeed/documents/{doc_id}/resend", headers=headers_for(admin))
    assert again.status_code == 409
    with app.app_context():
        found, _ = run_until(adapter, [doc_id], ("accepted",), now=now, mines=[world["mine_id"]])
    assert found[doc_id].message_ref != rejected.message_ref and found[doc_id].revision == 1


def test_a_reply_lost_to_a_timeout_is_retried_with_the_same_reference_and_counted_once(app, adapter, province_sandbox):
    with app.app_context():
        world = delivered(settle=False)
        (doc_id,) = _ids(world, ["waybill"])
        impatient = transport.Ministry(url=adapter.url, sender_code=adapter.sender, token=adapter.token,
                                       public_key=adapter.public_key, timeout=0.5)  # fmt: skip
        # The truck's and driver's records go first (the province cross-checks the waybill against them).
        run_until(
            adapter, _ids(world, ["vehicle", "driver"]), ("accepted",), now=world["done_at"], mines=[world["mine_id"]]
        )
        due = doc("waybill", world["waybill_id"]).next_try_at
        province_sandbox.script(stall_ms=1500, document="WLHY_YD1001", times=1)
        regfeed.run(now_ms=due, adapter=impatient, mine_ids=[world["mine_id"]])
        first = doc("waybill", world["waybill_id"])
        assert first.state == "sent" and first.attempts == 1 and first.next_try_at > world["done_at"]
        found, _ = run_until(adapter, [doc_id], ("accepted",), now=first.next_try_at, mines=[world["mine_id"]])
    assert found[doc_id].message_ref == first.message_ref
    assert len(_uploads(province_sandbox, first.message_ref)) == 1  # the resend met 3001: received, not twice


def test_an_expired_certificate_blocks_the_upload_into_the_compliance_queue_until_fixed(app, client, adapter):
    admin = make_user("admin")
    with app.app_context():
        world = delivered(settle=False)
        vehicle = accounts_store.get_vehicle(world["vehicle"].vehicle_id)
        vehicle.transport_cert_expires = "2020-01-31"
        vehicle.save()
        (doc_id,) = _ids(world, ["waybill"])
        found, now = run_until(adapter, [doc_id], ("blocked",), now=world["done_at"], mines=[world["mine_id"]])
    failure = found[doc_id].failures[0]
    assert failure["check"] == "certificates" and "2020-01-31" in failure["reason"] and failure["fix"] == "#/fleet"
    queue = client.get("/api/regfeed/documents?state=blocked&limit=100", headers=headers_for(admin)).json["items"]
    assert doc_id in [d["id"] for d in queue]
    with app.app_context():
        vehicle.transport_cert_expires = "2031-01-31"
        vehicle.save()
    assert client.post(f"/api/regfeed/documents/{doc_id}/resend", headers=headers_for(admin)).status_code == 200
    with app.app_context():
        found, _ = run_until(adapter, [doc_id], ("accepted",), now=now, mines=[world["mine_id"]])


def test_a_truck_on_two_overlapping_waybills_blocks_the_second(app, adapter):
    with app.app_context():
        first = delivered(settle=False)
        # The first is accepted before the second exists: which of two overlapping waybills the province sees
        # first is what it blocks, so the test fixes that order instead of leaving it to one sweep's timing.
        run_until(adapter, _ids(first, ["waybill"]), ("accepted",), now=first["done_at"], mines=[first["mine_id"]])
        start = first["done_at"] - 40 * MIN
        second = delivered(settle=False, vehicle=first["vehicle"], start=start, mine_id=first["mine_id"])
        found, _ = run_until(
            adapter, _ids(second, ["waybill"]), ("blocked",), now=second["done_at"], mines=[second["mine_id"]]
        )
    assert found[_ids(second, ["waybill"])[0]].failures[0]["check"] == "overlap"


def test_a_document_not_accepted_in_time_raises_one_alert(app, adapter):
    from backend.alerts import store as alerts_store

    with app.app_context():
        world = delivered(settle=False, fixes=False)  # no track: the waybill stays blocked
        (doc_id,) = _ids(world, ["waybill"])
        run_until(adapter, [doc_id], ("blocked",), now=world["done_at"], mines=[world["mine_id"]])
        late = world["done_at"] + (setting("REGFEED_ACCEPT_WITHIN_MINUTES") + 1) * MIN
        regfeed.run(now_ms=late, adapter=adapter, mine_ids=[world["mine_id"]])
        regfeed.run(now_ms=late + MIN, adapter=adapter, mine_ids=[world["mine_id"]])
        assert doc("waybill", world["waybill_id"]).overdue_alerted == late
        items, _ = alerts_store.list_by_status("open", limit=100, last_evaluated_key=None)
    assert [a.evidence for a in items if a.kind == "regfeed_overdue"].count({"doc_id": doc_id}) == 1


def test_consent_sends_the_phone_positions_at_departure_and_delivery(app, client, adapter, province_sandbox):
    with app.app_context():
        world = delivered(settle=False)  # the trip's events are a minute ahead of the consent given now
    driver = world["driver"]
    assert client.get("/api/regfeed/consent", headers=headers_for(driver)).json["granted"] == "no"
    bad = client.put("/api/regfeed/consent", json={"granted": "maybe"}, headers=headers_for(driver))
    assert bad.status_code == 400 and "granted" in bad.json["error"]["details"]["fields"]
    given = client.put("/api/regfeed/consent", json={"granted": True}, headers=headers_for(driver)).json
    assert given["granted"] == "yes" and given["wording"] == consent.WORDING
    with app.app_context():
        found, _ = run_until(
            adapter, _ids(world, ["positions"]), ("accepted",), now=world["done_at"], mines=[world["mine_id"]]
        )
    body = _uploads(province_sandbox, found[_ids(world, ["positions"])[0]].message_ref)[0]["body"]
    sources = [p["Source"] for p in body["PositionList"]]
    assert sources[0] == "phone_departure" and sources[-1] == "phone_delivery" and "terminal" in sources

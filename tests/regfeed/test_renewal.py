"""A renewed certificate reaches the province: the truck's record it already accepted is sent again, corrected under
a new reference, with the new expiry; a change before the record was ever sent needs nothing."""

import pytest

from backend.accounts import service as accounts
from backend.common.access import Principal
from backend.config import setting
from backend.regfeed import service as regfeed
from backend.regfeed import transport
from tests.builders import make_org, make_vehicle
from tests.regfeed.helpers import delivered, doc, run_until


@pytest.fixture
def adapter(app):
    with app.app_context():
        return transport.from_settings(setting)


def test_a_renewed_road_transport_certificate_is_sent_again_under_a_new_reference(app, adapter, province_sandbox):
    with app.app_context():
        world = delivered()
        truck = world["vehicle"]
        vehicle_doc = regfeed.doc_id("vehicle", truck.vehicle_id)
        found, now = run_until(adapter, [vehicle_doc], ("accepted",), now=world["done_at"], mines=[world["mine_id"]])
        first = found[vehicle_doc]
        carrier = Principal("u_boss", "carrier", truck.carrier_id)
        accounts.update_vehicle(
            principal=carrier, vehicle_id=truck.vehicle_id, now_ms=now, transport_cert_expires="2031-06-30"
        )
        corrected = doc("vehicle", truck.vehicle_id)
        assert (corrected.state, corrected.revision) == ("corrected", first.revision + 1)
        found, _ = run_until(adapter, [vehicle_doc], ("accepted",), now=now, mines=[world["mine_id"]])
    again = found[vehicle_doc]
    assert again.message_ref != first.message_ref
    [upload] = [u for u in province_sandbox.uploads() if u["ref"] == again.message_ref]
    assert "20310630" in str(upload["body"])


def test_papers_changed_before_anything_was_sent_queue_nothing(app):
    with app.app_context():
        carrier = make_org("carrier").org_id
        truck = make_vehicle(carrier)
        principal = Principal("u_boss", "carrier", carrier)
        accounts.update_vehicle(
            principal=principal, vehicle_id=truck.vehicle_id, now_ms=1, transport_cert_expires="2031-06-30"
        )
        assert doc("vehicle", truck.vehicle_id) is None


def test_a_waybill_waits_for_its_truck_and_driver_records_to_be_accepted(app, adapter):
    with app.app_context():
        world = delivered(settle=False)
        regfeed.run(now_ms=world["done_at"], adapter=adapter, mine_ids=[world["mine_id"]])
        waybill = doc("waybill", world["waybill_id"])
        truck = doc("vehicle", world["vehicle"].vehicle_id)
        assert truck is not None and waybill.state == "queued" and waybill.message_ref is None
        ids = [
            regfeed.doc_id("vehicle", world["vehicle"].vehicle_id),
            regfeed.doc_id("driver", world["driver"].user_id),
        ]
        found, now = run_until(adapter, ids, ("accepted",), now=world["done_at"], mines=[world["mine_id"]])
        accepted_at = max(d.updated_at for d in found.values())
        found, _ = run_until(
            adapter, [regfeed.doc_id("waybill", world["waybill_id"])], ("accepted",), now=now, mines=[world["mine_id"]]
        )
        assert found[regfeed.doc_id("waybill", world["waybill_id"])].sent_at >= accepted_at


def test_the_daily_sweep_queues_what_an_event_failed_to_queue_and_nothing_twice(app):
    from backend.regfeed.models import RegDocument

    with app.app_context():
        world = delivered()  # confirmed and settled: its events queued the waybill and the fund flow
        for kind in ("waybill", "fund_flow"):
            RegDocument(regfeed.doc_id(kind, world["waybill_id"])).delete()  # as if queueing had failed
        assert regfeed.sweep(now_ms=world["done_at"], mine_ids=[world["mine_id"]]) == {"queued": 2}
        assert doc("waybill", world["waybill_id"]).state == "queued"
        assert doc("fund_flow", world["waybill_id"]).state == "queued"
        assert regfeed.sweep(now_ms=world["done_at"], mine_ids=[world["mine_id"]]) == {"queued": 0}

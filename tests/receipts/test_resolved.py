"""A disputed receipt is closed by the dispute's resolution: status resolved, with the outcome for every screen."""

import pytest

from backend.ledger import service as ledger
from tests.builders import headers_for, make_user
from tests.receipts.test_receipts_api import code_of, take
from tests.tracking.conftest import make_waybill


@pytest.fixture(autouse=True)
def receipts_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "RECEIPTS_DIR", str(tmp_path))


def test_resolving_a_dispute_resolves_the_receipt_with_its_outcome(client):
    world = make_waybill(state="arrived", net_kg=34_000, price_fen_per_t=80_000, freight_fen_per_t=10_000)
    wid = world["waybill"].waybill_id
    ledger.set_credit_limit(world["shipper_org"].org_id, 10_000_000, mine_id=world["waybill"].mine_id)
    assert take(client, world, received_kg=33_000, receipt_code=code_of(client, world)).status_code == 201
    disputed = client.post(
        f"/api/receipts/{wid}/dispute", json={"reason": "少了一吨"}, headers=headers_for(world["buyer"])
    )
    assert disputed.json["status"] == "disputed"

    dispatcher = make_user("dispatcher")
    resolved = client.post(
        f"/api/settlement/waybills/{wid}/resolve",
        json={"reason": "复磅 33,900 kg", "received_kg": 33_900},
        headers=headers_for(dispatcher),
    )
    assert resolved.status_code == 200, resolved.json
    for viewer in (world["buyer"], world["driver"]):
        receipt = client.get(f"/api/receipts/{wid}", headers=headers_for(viewer)).json
        assert receipt["status"] == "resolved"
        assert receipt["dispute_reason"] == "少了一吨"  # what the buyer said stays on the record
        assert receipt["resolution"] == "复磅 33,900 kg" and receipt["agreed_received_kg"] == 33_900
        assert receipt["resolved_by"] == dispatcher.user_id and receipt["resolved_at"] > 0

    # Resolved once: a second resolve is refused and leaves the receipt as it is.
    again = client.post(
        f"/api/settlement/waybills/{wid}/resolve", json={"reason": "again"}, headers=headers_for(dispatcher)
    )
    assert again.status_code == 409
    assert (
        client.get(f"/api/receipts/{wid}", headers=headers_for(world["buyer"])).json["resolution"] == "复磅 33,900 kg"
    )

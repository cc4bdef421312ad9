"""In Chromium: a driver opens the earnings of a settled load and reads the freight credited, with why."""

from backend.common.clock import now_ms
from tests.tracking.conftest import make_waybill


def test_driver_sees_the_freight_credited_and_the_loss_explained(app, pixel7_page, sign_in):
    from backend.ledger import service as ledger
    from backend.settlement import service as settlement

    with app.app_context():
        world = make_waybill(
            state="confirmed",
            net_kg=33_500,
            received_kg=33_380,
            price_fen_per_t=82_000,
            freight_fen_per_t=12_000,
        )
        wid = world["waybill"].waybill_id
        ledger.set_credit_limit(world["shipper_org"].org_id, 10_000_000, mine_id=world["waybill"].mine_id)
        settlement.settle(waybill_id=wid, now_ms=now_ms())
        credited = ledger.balance(ledger.account("carrier", world["carrier_org"].org_id))
    page = pixel7_page
    sign_in(page, world["driver"], screen=f"earnings?waybill={wid}")
    detail = page.locator(f".earnings-detail[data-waybill='{wid}'][data-status='settled']")
    detail.wait_for()
    assert "已结算入账" in detail.inner_text()
    total = detail.locator("tr.total td.amount").inner_text()
    assert total == f"{credited / 100:,.2f}" == "3,855.00"  # 1,206 + 2,649 yuan
    loss = detail.locator("tr.loss").inner_text()
    assert "0.053 吨" in loss and "820.00" in loss  # 53 kg beyond the allowance at the coal price

"""In Chromium: the sales side records a deduction on a load before it settles; the driver's earnings show it
on its own line with its reason, and the total credited is the freight less it."""

from backend.common.clock import now_ms
from tests.builders import make_user
from tests.tracking.conftest import make_waybill


def test_a_deduction_recorded_at_the_desk_is_its_own_line_on_the_drivers_earnings(app, pixel7_page, sign_in):
    from backend.ledger import service as ledger
    from backend.settlement import service as settlement

    with app.app_context():
        world = make_waybill(
            state="confirmed", net_kg=33_000, received_kg=33_000, price_fen_per_t=80_000, freight_fen_per_t=10_000
        )
        wid = world["waybill"].waybill_id
        ledger.set_credit_limit(world["shipper_org"].org_id, 10_000_000, mine_id=world["waybill"].mine_id)
        before = settlement.compute(world["waybill"], [])[3].payee_total_fen
        dispatcher = make_user("dispatcher")
    page = pixel7_page
    sign_in(page, dispatcher, screen="receivables")
    desk = page.locator("form", has_text="运费调整")
    desk.locator("input[name=waybill_id]").fill(wid)
    desk.locator("input[name=fen]").fill("-120.5")
    desk.locator("input[name=reason]").fill("篷布破损")
    desk.locator("button[type=submit]").click()
    page.get_by_text(f"运单 {wid} 已调整 −120.50 元").wait_for()

    with app.app_context():
        settlement.settle(waybill_id=wid, now_ms=now_ms())
        credited = ledger.balance(ledger.account("carrier", world["carrier_org"].org_id))
    assert credited == before - 12_050
    sign_in(page, world["driver"], screen=f"earnings?waybill={wid}")
    detail = page.locator(f".earnings-detail[data-waybill='{wid}'][data-status='settled']")
    detail.wait_for()
    line = detail.locator("tr.adjustment")
    assert line.count() == 1 and "篷布破损" in line.inner_text() and "−120.50" in line.inner_text()
    assert detail.locator("tr.total td.amount").inner_text() == f"{credited / 100:,.2f}"

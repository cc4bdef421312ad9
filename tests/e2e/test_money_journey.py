"""In Chromium, one journey of the money: a buyer pays on the sandbox's hosted page, the truck delivers, the
buyer confirms the receipt, the load settles, and the driver reads the freight credited on the earnings screen.

The truck's moves between the hall and the plant (grab, gate, weighings, trip) are other suites' business:
here they go through the waybill transitions in process, with the events the gate publishes.
"""

import time

from backend import events
from backend.common.clock import now_ms
from backend.ledger import service as ledger
from backend.payments import service as payments
from backend.receipts.models import Receipt
from backend.settlement import job as settlement_job
from backend.waybills import service as waybills
from tests.builders import make_org, make_user, make_vehicle
from tests.e2e.conftest import put_session
from tests.e2e.helpers import pick_place
from tests.orders.helpers import make_mine
from tests.payments.served import prepay_server  # noqa: F401 - the fixture

NET_KG, RECEIVED_KG = 32_000, 31_950


def deliver(waybill_id, driver, vehicle):
    """The truck takes the paid load, is weighed out (prepaid part released) and unloads at the buyer."""
    actor = waybills.SystemActor("e2e", role="dispatcher")
    step = lambda action, **changes: waybills.transition(  # noqa: E731
        waybill_id=waybill_id, action=action, actor=actor, now_ms=now_ms(), changes=changes
    )
    step(
        "assign",
        driver_id=driver.user_id,
        carrier_id=driver.org_id,
        vehicle_id=vehicle.vehicle_id,
        plate=vehicle.plate,
        hall_mine_id=None,
    )
    for action in ("book", "check_in", "call", "enter"):
        step(action)
    step("weigh_tare", tare_kg=15_000)
    step("weigh_gross", gross_kg=15_000 + NET_KG, net_kg=NET_KG)
    moved = step("release")
    events.publish("waybill_weighed_out", waybill_id=waybill_id, now_ms=now_ms(), waybill=moved)
    for action in ("depart", "arrive"):
        step(action)
    step("unload", received_kg=RECEIVED_KG)
    Receipt(
        waybill_id,
        driver_id=driver.user_id,
        signed_by="code",
        inside_fence=True,
        net_kg=NET_KG,
        received_kg=RECEIVED_KG,
        loss_kg=NET_KG - RECEIVED_KG,
        created_at=now_ms(),
    ).save()


def test_a_buyer_pays_the_truck_delivers_and_the_driver_sees_the_freight_credited(
    app,
    pixel7_context,
    prepay_server,  # noqa: F811
):
    with app.app_context():
        mine = make_mine(inventory_kg=1_000_000)
        buyer = make_user("buyer")
        carrier = make_org("carrier")
        driver = make_user("driver", org_id=carrier.org_id)
        vehicle = make_vehicle(carrier.org_id)

    # The buyer orders 32 t and pays on the provider's hosted page.
    page = pixel7_context(base_url=prepay_server).new_page()
    put_session(page, app, buyer, prepay_server)
    page.goto("/#/buyer-order")
    page.reload()
    page.get_by_label("煤矿").select_option(mine)
    page.get_by_label("吨数（10–49 吨）").fill("32")
    pick_place(page, "兴旺砖厂")  # the seed's site: the point the old default coordinates named
    page.get_by_role("button", name="报价").click()
    page.locator(".quote .total").wait_for()
    page.get_by_role("button", name="下单").click()
    row = page.locator(".row.order[data-state='open']").first
    row.locator(".tag.payment[data-status='awaiting_payment']").wait_for()
    assert "待支付" in row.inner_text()
    waybill_id = row.get_attribute("data-id")
    row.get_by_role("button", name="支付").click()
    page.get_by_role("button", name="支付 / Pay").click()  # the sandbox's hosted page
    page.wait_for_url(f"{prepay_server}/#/buyer-orders")
    with app.app_context():
        deadline = time.monotonic() + 20
        while payments.find(waybill_id).status != "paid" and time.monotonic() < deadline:
            time.sleep(0.2)  # the signed notification is asynchronous
        paid = payments.find(waybill_id)
        assert paid.status == "paid"
        assert ledger.balance(ledger.account("escrow", waybill_id)) == paid.amount_fen
        assert any(w.waybill_id == waybill_id for w in waybills.hall_loads(mine))  # paid: published to the hall
    page.reload()
    tag = page.locator(f".row.order[data-id='{waybill_id}'] .tag.payment[data-status='paid']")
    tag.wait_for()
    assert tag.inner_text() == "已支付"
    with app.app_context():
        deliver(waybill_id, driver, vehicle)

    # The buyer confirms the receipt on the tracking screen: the rest of the freight is released.
    page.goto(f"/#/track?waybill={waybill_id}")
    page.locator(".card.receipt[data-status='taken']").wait_for()
    page.get_by_role("button", name="确认收货").click()
    page.locator(".card.receipt[data-status='confirmed']").wait_for()
    with app.app_context():
        settlement_job.settle_confirmed(now_ms=now_ms(), mine_ids=[mine])  # the scheduled job
        credited = ledger.balance(ledger.account("carrier", carrier.org_id))
        assert ledger.balance(ledger.account("escrow", waybill_id)) == 0

    # The driver opens the load's earnings: settled, and the total is what the carrier's account received.
    driver_page = pixel7_context(base_url=prepay_server).new_page()
    put_session(driver_page, app, driver, prepay_server)
    driver_page.goto(f"/#/earnings?waybill={waybill_id}")
    driver_page.reload()
    detail = driver_page.locator(f".earnings-detail[data-waybill='{waybill_id}'][data-status='settled']")
    detail.wait_for()
    assert "已结算入账" in detail.inner_text()
    assert credited > 0
    assert detail.locator("tr.total td.amount").inner_text() == f"{credited / 100:,.2f}"
    assert "31.950" in detail.locator(".earn-weights").inner_text()  # the buyer's received weight, explained

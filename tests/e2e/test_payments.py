"""A buyer orders a truckload, pays on the provider's hosted page (the local sandbox), the load reaches the hall."""

import time

from backend.payments import service as payments
from backend.waybills import service as waybills
from tests.builders import make_user
from tests.e2e.conftest import put_session
from tests.orders.helpers import make_mine
from tests.payments.served import prepay_server  # noqa: F401 - the fixture


def test_buyer_pays_on_the_sandbox_page_and_the_load_appears_in_the_hall(app, pixel7_context, prepay_server):  # noqa: F811
    with app.app_context():
        mine = make_mine(inventory_kg=1_000_000)
        buyer = make_user("buyer")
    page = pixel7_context(base_url=prepay_server).new_page()
    put_session(page, app, buyer, prepay_server)
    page.goto("/#/buyer-order")
    page.reload()
    page.get_by_label("煤矿").select_option(mine)
    page.get_by_label("吨数（10–49 吨）").fill("32")
    page.get_by_label("送货地址").fill("神木市大柳塔镇 兴旺砖厂")
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
        assert any(w.waybill_id == waybill_id for w in waybills.hall_loads(mine))
    page.reload()
    paid = page.locator(f".row.order[data-id='{waybill_id}'] .tag.payment[data-status='paid']")
    paid.wait_for()
    assert paid.inner_text() == "已支付"

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


def test_a_wechat_native_code_url_is_shown_as_a_qr_code_to_scan(app, pixel7_context, prepay_server):  # noqa: F811
    """WeChat Pay Native answers a code_url to scan, not a page: the orders screen draws it as a QR code."""
    import numpy
    import zxingcpp

    from tests.builders import headers_for
    from tests.orders.helpers import retail_body

    with app.app_context():
        mine = make_mine(inventory_kg=1_000_000)
        buyer = make_user("buyer")
        code, waybill = prepay_server.call(
            "POST", "/api/orders/retail", body=retail_body(mine), headers=headers_for(buyer)
        )
    assert code == 201, waybill
    code_url = "weixin://wxpay/bizpayurl?pr=Qx7Fk2aZz"
    page = pixel7_context(base_url=prepay_server).new_page()
    # The payment as the wechatpay adapter leaves it (the adapter itself is tested in tests/payments); the screen
    # keeps the code shown while the payment is "paying".
    reply = {
        "waybill_id": waybill["id"],
        "status": "paying",
        "provider": "wechatpay",
        "pay_url": code_url,
        "amount_fen": waybill["quote"]["total_fen"],
    }
    page.route(f"**/api/payments/{waybill['id']}", lambda route: route.fulfill(json=reply))
    put_session(page, app, buyer, prepay_server)
    page.goto("/#/buyer-orders")
    page.reload()
    row = page.locator(f".row.order[data-id='{waybill['id']}']")
    row.get_by_role("button", name="支付").click()
    panel = page.locator(f".pay-scan[data-id='{waybill['id']}']")
    panel.wait_for()
    assert "微信扫码支付" in panel.inner_text()
    assert f"{waybill['quote']['total_fen'] / 100:,.2f}" in panel.inner_text()
    svg = panel.locator("svg")
    assert svg.bounding_box()["width"] >= 200  # big enough to scan from another phone
    drawn = page.evaluate(
        """() => { const svg = document.querySelector('.pay-scan svg');
        const cells = [...svg.querySelector('path').getAttribute('d').matchAll(/M(\\d+) (\\d+)/g)];
        return { size: Number(svg.dataset.modules), dark: cells.map((m) => [Number(m[2]) - 4, Number(m[1]) - 4]) }; }"""
    )
    # What is drawn decodes to the code_url (zxing-cpp, the reader many scanner apps build on).
    quiet, scale = 4, 6
    image = numpy.full(((drawn["size"] + 2 * quiet) * scale,) * 2, 255, dtype=numpy.uint8)
    for r, c in drawn["dark"]:
        image[(r + quiet) * scale : (r + quiet + 1) * scale, (c + quiet) * scale : (c + quiet + 1) * scale] = 0
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [code_url]

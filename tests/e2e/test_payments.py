"""The buyer's pay screen in Chromium (paying on the sandbox's hosted page is in test_money_journey.py)."""

from tests.builders import make_user
from tests.e2e.conftest import put_session
from tests.orders.helpers import make_mine
from tests.payments.served import prepay_server  # noqa: F401 - the fixture


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

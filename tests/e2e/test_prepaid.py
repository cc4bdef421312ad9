"""In Chromium: a mine's sales side records a shipper's bank transfer and credit, and the shipper sees its prepaid
money at that mine (credit and money are per mine's sales company)."""

import uuid

from tests.builders import make_org, make_user
from tests.orders.helpers import make_mine


def test_a_recorded_transfer_and_credit_show_on_the_shippers_prepaid_screen(app, pixel7_page, sign_in):
    with app.app_context():
        org = make_org("shipper")
        shipper, dispatcher = make_user("shipper", org_id=org.org_id), make_user("dispatcher")
        mine = make_mine()
    page = pixel7_page
    sign_in(page, dispatcher, screen="receivables")
    limit_form = page.locator("form", has_text="设置授信额度")
    limit_form.locator("select[name=shipper_org_id]").select_option(org.org_id)
    limit_form.locator("select[name=mine_id]").select_option(mine)
    limit_form.locator("input[name=limit_fen]").fill("5000")
    limit_form.locator("button[type=submit]").click()
    page.get_by_text("授信额度 5,000.00 元").wait_for()
    pay_form = page.locator("form", has_text="登记预付款")
    reference = f"ICBC-{uuid.uuid4().hex[:8]}"
    pay_form.locator("select[name=shipper_org_id]").select_option(org.org_id)
    pay_form.locator("select[name=mine_id]").select_option(mine)
    pay_form.locator("input[name=amount_fen]").fill("1,234.5")
    pay_form.locator("input[name=bank_reference]").fill(reference)
    pay_form.locator("button[type=submit]").click()
    page.get_by_text("预付款到账 1,234.50 元").wait_for()
    # The same transfer typed again moves nothing and says so.
    pay_form.locator("select[name=shipper_org_id]").select_option(org.org_id)
    pay_form.locator("select[name=mine_id]").select_option(mine)
    pay_form.locator("input[name=amount_fen]").fill("1234.50")
    pay_form.locator("input[name=bank_reference]").fill(reference.lower())
    pay_form.locator("button[type=submit]").click()
    page.get_by_text("该流水号已登记过").wait_for()

    sign_in(page, shipper, screen="shipper-prepaid")
    page.locator(f".prepaid .row.mine[data-mine='{mine}']").wait_for()  # the totals list the mine's account
    page.locator(".prepaid select[name=mine_id]").select_option(mine)
    figures = page.locator(f".prepaid dl.figures[data-mine='{mine}']")
    figures.wait_for()
    assert figures.locator("dd.balance").inner_text() == "1,234.50 元"
    assert figures.locator("dd.credit").inner_text() == "5,000.00 元"
    assert figures.locator("dd.available").inner_text() == "6,234.50 元"
    entries = page.locator(".prepaid li .entry")
    assert entries.count() == 1 and reference.replace("-", "").upper() in entries.inner_text()

"""A carrier tells its entrusted loads apart on a 360 px phone (where to, the rate, the loading day, whose), a new
entrustment appears without a reload, and declining asks first."""

from backend.accounts import service as accounts
from tests import builders
from tests.orders.helpers import make_mine, retail_body, shipper_with_allocation


def test_the_carrier_sees_whose_load_goes_where_and_declines_after_a_confirmation(app, client, pixel7_context, sign_in):
    with app.app_context():
        mine = make_mine()
        staff = shipper_with_allocation(mine, 2_000_000)
        shipper_name = accounts.find_org(staff.org_id).name
        carrier = builders.make_org("carrier")
        builders.make_vehicle(carrier.org_id, rated_load_kg=34_000)
        boss = builders.make_user("carrier", org_id=carrier.org_id)
        keys = [builders.headers_for(staff) for _ in range(2)]
    body = dict(retail_body(mine, 30_000), trucks=1, carrier_id=carrier.org_id, wanted_date=None)
    first = client.post("/api/orders/bulk", json=body, headers=keys[0]).json["items"][0]

    page = pixel7_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(page, boss, screen="carrier-dispatch")
    row = page.locator(f".row.load[data-id='{first['id']}']")
    row.wait_for()
    text = row.inner_text()
    assert "送往 神木市 测试砖厂" in text and f"装车日 {first['wanted_date']}" in text and "运价" in text
    assert f"货主 {shipper_name}" in text and staff.org_id not in text
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360

    second = client.post("/api/orders/bulk", json=body, headers=keys[1]).json["items"][0]
    page.locator(f".row.load[data-id='{second['id']}']").wait_for(timeout=25_000)  # refreshed by itself

    row.get_by_role("button", name="拒绝").click()
    asked = page.locator("dialog.confirm[open]")
    asked.get_by_role("button", name="再想想").click()
    assert row.count() == 1
    row.get_by_role("button", name="拒绝").click()
    asked.get_by_role("button", name="拒绝").click()
    row.wait_for(state="detached")

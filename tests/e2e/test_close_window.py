"""Gate staff close a window only after the app says what it does (its bookings are cancelled); a slip is undone
by 再想想."""

from tests import builders
from tests.catalogue.sites import onboard, site_body


def test_closing_a_window_asks_first(app, client, pixel7_context, sign_in):
    body = site_body(day_start_hour=0, day_end_hour=24)  # windows all day: tomorrow's are open whenever this runs
    with app.app_context():
        admin = builders.make_user("admin")
        staff = builders.make_user("gate", mine_id=body["id"])
        assert onboard(client, body, user=admin).status_code == 201
    page = pixel7_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(page, staff, screen="gate-capacity")
    day = page.get_by_label("时段容量")
    tomorrow = day.locator("option").nth(1).get_attribute("value")
    day.select_option(tomorrow)
    # Today's rows may still be drawn: a reason typed into one would be wiped when tomorrow's arrive.
    row = page.locator(f'ul.list[data-date="{tomorrow}"] li.row[data-slot]').first
    row.wait_for()
    row.get_by_label("关闭原因").fill("设备检修")
    row.get_by_role("button", name="关闭时段").click()
    asked = page.locator("dialog.confirm[open]")
    assert "已约的 0 辆车" in asked.inner_text()
    asked.get_by_role("button", name="再想想").click()
    assert "已关闭" not in row.inner_text()
    row.get_by_role("button", name="关闭时段").click()
    asked.get_by_role("button", name="关闭时段").click()
    page.locator("li.row[data-slot]", has_text="已关闭：设备检修").first.wait_for()

"""In Chromium at 360 px: the command centre's four themes draw from streamed aggregates, the wall screen rotates
them in big type (with a place kept for the live map), the mine's site view and the shipper's fulfilment view show
their own figures, and a gate subscribes to its mine's reports and downloads one as PDF."""

import io
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from backend.accounts.models import Organisation
from backend.accounts.store import save_org
from backend.analytics import service
from backend.common.clock import now_ms, shanghai_date
from tests.analytics.synthetic import make_day
from tests.builders import make_user

THEMES = ("capacity", "dispatch", "customers", "in_transit")


def _fits_360(page):
    return page.evaluate("() => document.scrollingElement.scrollWidth") <= 360


def _board(page, theme):
    board = page.locator(f".kpi-board[data-theme={theme}]")
    board.wait_for()
    assert board.locator("svg.chart").count() >= 1
    assert board.locator("table.kpi-table tbody tr").count() >= 1
    return board


def test_each_theme_renders_with_data_on_a_phone_and_on_the_wall(app, stream_poller, pixel7_page, sign_in, tmp_path):
    today = shanghai_date(now_ms())
    with app.app_context():
        made = make_day(today, loads=8, seed=21)
        # The synthetic day's shipper as a company with its own name: screens show names, never ids.
        shipper_name = f"履约测试货主{made['shipper_id'][-6:]}"
        save_org(Organisation(made["shipper_id"], kind="shipper", name=shipper_name, created_at=now_ms()))
        stream_poller.drain()
        only = {("mine", made["mine_id"])}
        service.generate_reports(day=date.fromisoformat(today), now_ms=now_ms(), only=only, export_base=str(tmp_path))
        dispatcher = make_user("dispatcher")
        gate = make_user("gate", mine_id=made["mine_id"])
        shipper = make_user("shipper", org_id=made["shipper_id"])
    page = pixel7_page
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, dispatcher, screen="command")
    for theme in THEMES:
        page.locator(
            ".cmd-tabs button",
            has_text={"capacity": "运力", "dispatch": "调度", "customers": "客户", "in_transit": "在途"}[theme],
        ).click()
        board = _board(page, theme)
        assert _fits_360(page), theme
    # The customers theme counts the synthetic shipper's eight planned loads in its row.
    page.locator(".cmd-tabs button", has_text="客户").click()
    row = _board(page, "customers").locator("tr", has_text=shipper_name)
    assert row.locator("td").nth(1).inner_text() == "8"
    # The day's report of the synthetic mine is listed; its Excel file downloads and opens.
    report = page.locator(".kpi-report", has_text=f"日报 {today}").first
    with page.expect_download() as download:
        report.get_by_role("button", name="下载 Excel").click()
    rows = list(load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active.iter_rows(values_only=True))
    assert rows[-1][:2] == ("total", 8)
    # The manager's choice of what a role receives is saved (and read back on the next visit).
    shippers = page.locator(".cmd-choice[data-role=shipper]")
    shippers.locator("input[name=daily]").uncheck()
    shippers.get_by_role("button", name="保存").click()
    page.get_by_text("已保存").first.wait_for()
    sign_in(page, dispatcher, screen="command")
    assert not page.locator(".cmd-choice[data-role=shipper] input[name=daily]").is_checked()
    page.locator(".cmd-choice[data-role=shipper] input[name=daily]").check()
    page.locator(".cmd-choice[data-role=shipper]").get_by_role("button", name="保存").click()
    page.get_by_text("已保存").first.wait_for()

    sign_in(page, dispatcher, screen="command?wall=1&rotate=1200")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.locator(".cmd-alerts h3").wait_for()
    for theme in THEMES:  # the wall turns through every theme by itself
        board = _board(page, theme)
        size = board.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
        assert size >= 24, size  # big type, readable across the room
    assert page.locator(".cmd-filter").is_hidden()
    wall_map = page.locator('[data-slot="wall-map"]')  # where the live map's owner mounts it on the wall
    assert wall_map.count() == 1 and wall_map.get_attribute("hidden") is None

    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, gate, screen="site-view")
    board = _board(page, "capacity")
    assert board.locator(".kpi dd").first.inner_text() != ""
    assert _fits_360(page)

    sign_in(page, gate, screen="reports")  # the home tile 报表: subscribe, and the day's report as PDF
    subscription = page.locator(".reports-subscription")
    subscription.locator("input[name=daily]").check()
    subscription.get_by_role("button", name="保存").click()
    page.get_by_text("已保存").first.wait_for()
    report = page.locator(".kpi-report", has_text=f"日报 {today}").first
    with page.expect_download() as download:
        report.get_by_role("button", name="下载 PDF").click()
    assert len(PdfReader(download.value.path()).pages) == 1
    assert _fits_360(page)

    sign_in(page, shipper, screen="fulfilment")
    board = _board(page, "customers")
    assert board.locator(".kpi dd").first.inner_text() == "8"  # planned loads
    assert _fits_360(page)

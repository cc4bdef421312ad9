"""Every state in its own words, in zh-CN and English: too early / too late / offline at check-in, a call without a
deadline, the hall offline vs. no loads, a grab offline or lost, the buyer's loaded weight and its cost, and the
dispatch centre's 全部 alerts (resolved ones too)."""

import pytest

from backend.appointments.booking import service as booking
from backend.appointments.booking.models import Booking
from backend.common.clock import now_ms
from tests.appointments.builders import GATE, Crew, make_mine, make_slot
from tests.builders import headers_for, make_org, make_user, make_vehicle

AT_GATE = {"longitude": GATE[0], "latitude": GATE[1], "accuracy": 10}
HOUR = 3_600_000


def english(page):
    page.evaluate("() => localStorage.setItem('ch.lang', 'en')")
    page.reload()


def chinese(page):
    page.evaluate("() => localStorage.setItem('ch.lang', 'zh')")
    page.reload()


def _move_window(booking_id, start_ms, end_ms):
    Booking(booking_id).update(actions=[Booking.slot_start_ms.set(start_ms), Booking.slot_end_ms.set(end_ms)])


@pytest.fixture
def booked_driver(app, pixel7_context, sign_in):
    """A driver with a booking, standing inside the mine's check-in fence, on the queue screen."""
    with app.app_context():
        mine = make_mine()
        crew = Crew(mine.mine_id)
        slot_id = make_slot(mine.mine_id, start_ms=now_ms() + 20 * 60_000, capacity=5)
        crew.booking = booking.book(
            principal=crew.actor, waybill_id=crew.waybill.waybill_id, slot_id=slot_id, now_ms=now_ms()
        )
    context = pixel7_context(permissions=["geolocation"], geolocation=AT_GATE)
    page = context.pages[0] if context.pages else context.new_page()
    return app, context, page, crew, lambda: sign_in(page, crew.user, "queue")


def test_check_in_says_too_early_too_late_and_offline(booked_driver):
    app, context, page, crew, open_queue = booked_driver
    with app.app_context():  # the window is 5 hours away: inside the fence, but check-in has not opened
        _move_window(crew.booking.booking_id, now_ms() + 5 * HOUR, now_ms() + 6 * HOUR)
    open_queue()
    gps = page.locator(".gps-state[data-result='too_early']")
    gps.wait_for(timeout=40000)
    assert "签到尚未开始" in gps.inner_text() and "不在签到区内" not in gps.inner_text()
    english(page)
    gps.wait_for(timeout=40000)
    assert "check-in has not opened yet" in gps.inner_text()

    with app.app_context():  # the window ended 2 hours ago
        _move_window(crew.booking.booking_id, now_ms() - 3 * HOUR, now_ms() - 2 * HOUR)
    late = page.locator(".gps-state[data-result='too_late']")
    late.wait_for(timeout=40000)
    assert "Too late to check in" in late.inner_text()
    chinese(page)
    late.wait_for(timeout=40000)
    assert "已过签到时间" in late.inner_text()

    context.set_offline(True)
    offline = page.locator(".gps-state[data-result='offline']")
    offline.wait_for(timeout=20000)
    assert "离线" in offline.inner_text()
    assert "离线" in page.locator(".offline-state").inner_text()
    assert page.locator("[data-stage='booked']").count() == 1  # the last state stays on screen
    context.set_offline(False)
    english(page)
    page.locator("[data-stage='booked']").wait_for()  # the first poll landed before the signal goes
    context.set_offline(True)
    offline.wait_for(timeout=20000)
    assert "Offline" in offline.inner_text() and "Offline" in page.locator(".offline-state").inner_text()
    context.set_offline(False)


def test_a_call_without_a_deadline_is_not_eight_oclock(booked_driver):
    app, _, page, crew, open_queue = booked_driver
    with app.app_context():
        Booking(crew.booking.booking_id).update(
            actions=[Booking.stage.set("called"), Booking.called_at.set(now_ms()), Booking.call_deadline_ms.remove()]
        )
    open_queue()
    banner = page.locator(".call-banner")
    banner.wait_for()
    assert banner.inner_text() == "请立即前往门岗" and "08:00" not in banner.inner_text()
    english(page)
    banner.wait_for()
    assert banner.inner_text() == "Drive to the gate now"


def test_the_hall_tells_offline_from_no_loads_and_a_lost_grab(app, pixel7_context, sign_in):
    from tests.orders.helpers import make_mine as make_order_mine
    from tests.orders.helpers import place_retail

    with app.app_context():
        mine = make_order_mine(inventory_kg=1_000_000)
        load = place_retail(app.test_client(), make_user("buyer"), mine).json
        carrier = make_org("carrier").org_id
        driver, truck = make_user("driver", org_id=carrier), make_vehicle(carrier)
    context = pixel7_context()
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, driver, "hall")
    first_list = page.locator(".load, .empty").first
    first_list.wait_for()  # the screen's own first refresh has landed
    page.locator(".filters summary").click()
    page.get_by_label("煤矿（全部）").select_option(mine)
    page.get_by_label("最低运价（元/吨）").fill("100000")
    page.get_by_role("button", name="刷新").click()
    page.locator(".empty", has_text="暂无货源").wait_for()

    page.get_by_label("最低运价（元/吨）").fill("")
    page.get_by_role("button", name="刷新").click()
    row = page.locator(f".load[data-id='{load['id']}']")
    row.wait_for()
    context.set_offline(True)
    page.get_by_role("button", name="刷新").click()
    state = page.locator(".hall-state[data-state='offline']")
    state.wait_for()
    assert "离线" in state.inner_text() and page.locator(".empty").count() == 0  # not "no loads"
    row.get_by_role("button", name="抢单").click()
    row.locator(f"button[data-vehicle='{truck.vehicle_id}']").click()
    page.locator(".toast", has_text="离线：抢单需要联网").wait_for()
    context.set_offline(False)

    with app.app_context():  # someone else takes it first
        other_carrier = make_org("carrier").org_id
        other, other_truck = make_user("driver", org_id=other_carrier), make_vehicle(other_carrier)
        taken = app.test_client().post(
            f"/api/hall/{load['id']}/grab", json={"vehicle_id": other_truck.vehicle_id}, headers=headers_for(other)
        )
        assert taken.status_code == 200, taken.json
    row.locator(f"button[data-vehicle='{truck.vehicle_id}']").click()  # the picker stayed open
    page.locator(".toast", has_text="已被别人抢走").wait_for()

    english(page)
    first_list.wait_for()
    page.locator(".filters summary").click()
    page.get_by_label("Minimum rate (CNY/t)").fill("100000")
    page.get_by_role("button", name="Refresh").click()
    page.locator(".empty", has_text="No open loads").wait_for()
    context.set_offline(True)
    page.get_by_role("button", name="Refresh").click()
    page.locator(".hall-state[data-state='offline']", has_text="Offline").wait_for()
    context.set_offline(False)


def test_buyer_sees_the_loaded_weight_and_dispatch_sees_all_alerts(app, pixel7_context, sign_in):
    from backend.alerts import service as alerts_service
    from backend.waybills.service import SystemActor
    from tests.tracking.conftest import make_waybill

    with app.app_context():
        world = make_waybill(
            state="unloaded", net_kg=40_000, tonnage_kg=33_000, received_kg=39_950,
            price_fen_per_t=60_000, freight_fen_per_t=5_000, kind="retail",
        )  # fmt: skip
        alert = alerts_service.raise_alert(
            kind="weighing", mine_id="mine_hll", reason="超载 已处理", actor=SystemActor("t"), now_ms=now_ms(),
            hold=False, plate=world["vehicle"].plate,
        )  # fmt: skip
        dispatcher = make_user("dispatcher")
        alerts_service.resolve(
            principal=dispatcher, alert_id=alert.alert_id, outcome="cleared", reason="复磅合格",
            now_ms=now_ms(),
        )  # fmt: skip
    buyer_page = pixel7_context().new_page()
    sign_in(buyer_page, world["buyer"], "buyer-orders")
    row = buyer_page.locator(f".row.order[data-id='{world['waybill'].waybill_id}']")
    loaded = row.locator(".loaded")
    loaded.wait_for()
    # 40 t × (600.00 + 50.00) = 26,000.00: what was loaded, not the 33 t ordered (21,450.00).
    assert loaded.inner_text() == "实装 40.00 吨 · 按实装计 ¥26,000.00"
    assert row.locator(".received").inner_text() == "实收 39.95 吨"
    english(buyer_page)
    loaded.wait_for()
    assert loaded.inner_text() == "Loaded 40.00 t · ¥26,000.00 at the loaded weight"

    dispatcher_page = pixel7_context().new_page()
    sign_in(dispatcher_page, dispatcher, "alerts")
    resolved = dispatcher_page.locator(f"button.alert-row[data-alert-id='{alert.alert_id}']")
    dispatcher_page.locator("button.alert-row").first.wait_for()
    assert resolved.count() == 0  # 待处理 shows open ones
    dispatcher_page.get_by_role("button", name="全部").click()
    resolved.wait_for()
    assert "已核实放行" in resolved.inner_text()
    english(dispatcher_page)
    dispatcher_page.get_by_role("button", name="All").click()
    resolved.wait_for()
    assert "Cleared" in resolved.inner_text()

"""A driver books a window, is checked in by moving into the fence, is called, and shows the QR pass offline."""

from backend.appointments.queue import service as queue
from backend.common.clock import now_ms
from backend.waybills import store as waybill_store
from tests.appointments.builders import GATE, Crew, gate_actor, make_mine, make_slot
from tests.e2e.helpers import wait_for_service_worker

FAR_AWAY = {"longitude": 110.10, "latitude": 38.80, "accuracy": 10}  # ~25 km from the gate
AT_GATE = {"longitude": GATE[0], "latitude": GATE[1], "accuracy": 10}


def test_book_check_in_by_fence_get_called_and_show_the_pass_offline(app, pixel7_context, sign_in):
    with app.app_context():
        mine = make_mine()
        crew = Crew(mine.mine_id)
        slot_id = make_slot(mine.mine_id, start_ms=now_ms() + 20 * 60_000, capacity=5)
    context = pixel7_context(permissions=["geolocation"], geolocation=FAR_AWAY)
    page = context.pages[0] if context.pages else context.new_page()

    sign_in(page, crew.user, "booking")
    page.locator(f"ul.slots li[data-slot='{slot_id}'] button").click()
    page.locator(".current-booking").wait_for()

    page.goto("/#/queue")
    page.locator("[data-stage='booked']").wait_for()
    page.locator(".gps-state", has_text="不在签到区内").wait_for(timeout=20000)
    context.set_geolocation(AT_GATE)
    page.locator("[data-stage='checked_in']").wait_for(timeout=40000)
    page.locator(".position", has_text="第 1 位").wait_for()

    with app.app_context():
        queue.call_next(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, count=1, now_ms=now_ms())
    page.locator(".call-banner").wait_for(timeout=20000)

    page.goto("/#/pass")
    page.locator("article.pass .qr svg").wait_for()
    plate = page.locator("article.pass strong").inner_text()
    assert plate == crew.vehicle.plate
    wait_for_service_worker(page)
    page.reload()
    page.locator("article.pass .qr svg").wait_for()  # the route module is now in the runtime cache

    context.set_offline(True)
    page.reload()
    page.locator("article.pass .qr svg").wait_for()
    assert page.locator(".offline-pass").is_visible()
    context.set_offline(False)

    with app.app_context():
        queue.admit(waybill_id=crew.waybill.waybill_id, actor=gate_actor(mine.mine_id), now_ms=now_ms())
        assert waybill_store.get(crew.waybill.waybill_id).state == "entered"


def test_the_gate_board_lists_a_truck_an_alert_holds_apart_from_the_called(app, pixel7_context, sign_in):
    from backend.alerts import service as alerts
    from tests.appointments.test_checkin import booked_crew, checked_in
    from tests.builders import make_user

    with app.app_context():
        mine = make_mine()
        crew = booked_crew(mine)
        checked_in(crew)
        queue.call_next(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, count=1, now_ms=now_ms())
        alerts.raise_alert(
            kind="fake_plate",
            mine_id=mine.mine_id,
            reason="套牌嫌疑",
            actor=gate_actor(mine.mine_id),
            now_ms=now_ms(),
            waybill_id=crew.waybill.waybill_id,
        )
    context = pixel7_context()
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, make_user("gate", mine_id=mine.mine_id), "gate-queue")
    held = page.locator("article.card", has_text="扣留待处理")
    held.locator(f"li[data-waybill='{crew.waybill.waybill_id}']", has_text=crew.vehicle.plate).wait_for()
    assert held.locator("li", has_text="起扣留").count() == 1
    assert (
        page.locator("article.card", has_text="已叫号").locator(f"[data-waybill='{crew.waybill.waybill_id}']").count()
        == 0
    )


def test_late_at_night_the_booking_screen_opens_on_tomorrow_s_windows(app, pixel7_context, sign_in):
    # A mine whose windows today are all behind us (here: it has none today), as at 23:30 for a night driver.
    from backend.common.clock import shanghai_date, shanghai_midnight_ms

    with app.app_context():
        mine = make_mine()
        crew = Crew(mine.mine_id)
        tomorrow = shanghai_midnight_ms(shanghai_date(now_ms() + 86_400_000))
        slot_id = make_slot(mine.mine_id, start_ms=tomorrow + 30 * 60_000, capacity=5)
    context = pixel7_context(permissions=["geolocation"], geolocation=FAR_AWAY)
    page = context.pages[0] if context.pages else context.new_page()

    sign_in(page, crew.user, "booking")
    page.locator(f"ul.slots li[data-slot='{slot_id}'] button").click()  # listed without choosing a day
    page.locator(".current-booking").wait_for()
    assert page.get_by_label("日期").first.input_value() == shanghai_date(tomorrow)

"""The driver's home leads with the next step: one card and one action for every state of the current load.

One load is walked through its whole life (book, check in, called, held and let go, in, weighed, released, on the
road, arrived, unloaded); at each state home is opened on a 412 px Pixel 7 and on a 360 px phone, and the card's
title and action are what a driver needs then. The queue screen agrees with 磅单/扣车 while the truck is held.
Screenshots of home at each state go to test-results/screenshots/ (not committed) for review.
"""

import pathlib
import re

from backend.appointments.booking import service as booking_service
from backend.appointments.checkin import service as checkin_service
from backend.appointments.queue import service as queue
from backend.common.clock import now_ms
from backend.waybills import service as waybills
from backend.waybills.service import SystemActor
from tests.appointments.builders import GATE, Crew, gate_actor, make_mine, make_slot
from tests.builders import make_user

SHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
WIDTHS = (412, 360)
CLOCK = r"\d{2}:\d{2}"

# state -> (the card's title, the action button): the words a driver reads on home.
EXPECTED = {
    "assigned": (r"^已接单 · 请预约进矿时段$", "去预约"),
    "booked": (rf"^已预约 {CLOCK}–{CLOCK} · 到矿区自动签到$", "去签到"),
    "checked_in": (rf"^已签到 · 第 1 位( · 约 {CLOCK} 叫号)?$", "看排队"),
    "called": (rf"^已叫号 · 请(在 {CLOCK} 前|立即)到门岗$", "出示通行证"),
    "held": (r"^已被扣车$", "看扣车原因"),
    "entered": (r"^已进场 · 请上磅称皮重$", "去过磅"),
    "tare_weighed": (r"^皮重已称 · 装车后上磅称毛重$", "去过磅"),
    "gross_weighed": (r"^毛重已称 · 等待放行$", "看磅单"),
    "released": (r"^已放行 · 出发去卸货地$", "出发"),
    "in_transit": (r"^运输中 · 到了卸货地点“到达”$", "到达卸货地"),
    "arrived": (r"^已到达 · 卸货后上传回单$", "上传回单"),
    "free": (r"^现在没有运单$", "去抢单"),
}


def _card(page, state):
    """Open home and wait for the next-step card to show `state`; returns its title and action texts."""
    page.goto("/#/home")
    page.reload()
    title = page.locator(f".next-step .next-title[data-state='{state}']")
    title.wait_for(timeout=20000)
    return title.inner_text(), page.locator(".next-step .next-action").inner_text()


def _fits(page):
    """The card's action is a thumb-sized target and nothing on home runs off the screen sideways."""
    box = page.locator(".next-step .next-action").bounding_box()
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    nav = page.evaluate(
        "() => [...document.querySelectorAll('.bottomnav a')].map((a) => a.getBoundingClientRect().right)"
    )
    return box["height"] >= 48, width <= page.viewport_size["width"] + 1, max(nav) <= page.viewport_size["width"] + 1


def _check(page, state):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 860})
        title, action = _card(page, state)
        pattern, button = EXPECTED[state]
        assert re.match(pattern, title), (state, width, title)
        assert action == button, (state, width, action)
        assert _fits(page) == (True, True, True), (state, width)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"driver-home-{state}-{width}.png"))


def test_the_driver_home_leads_with_the_next_step_through_a_loads_whole_life(app, pixel7_context, sign_in):
    with app.app_context():
        mine = make_mine()
        crew = Crew(mine.mine_id)
        office = make_user("carrier", org_id=crew.user.org_id)
        slot_id = make_slot(mine.mine_id, start_ms=now_ms() + 20 * 60_000, capacity=5)
    waybill_id = crew.waybill.waybill_id
    context = pixel7_context()
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, crew.user, "home")

    _check(page, "assigned")
    # The phone's apps take over for the call and the drive: tel: for the carrier's office, AMap in GCJ-02.
    assert page.locator(".next-step a.call-carrier").get_attribute("href") == f"tel:{office.phone}"
    amap = page.locator(".next-step a.nav-amap").get_attribute("href")
    lon = float(re.search(r"to=([\d.]+),", amap).group(1))
    assert amap.startswith("https://uri.amap.com/navigation?to=") and "coordinate=gaode" in amap
    assert 0.003 < lon - GATE[0] < 0.01  # shifted to GCJ-02 for AMap only (the API keeps WGS-84)
    assert page.locator(".next-step a.nav-geo").get_attribute("href").startswith(f"geo:{GATE[1]:.6f},{GATE[0]:.6f}")
    page.locator(".next-step .next-action").click()
    page.locator("main#screen[data-screen='booking']").wait_for()

    with app.app_context():
        booking = booking_service.book(principal=crew.actor, waybill_id=waybill_id, slot_id=slot_id, now_ms=now_ms())
    _check(page, "booked")

    with app.app_context():
        record = booking_service.get(booking.booking_id)
        checkin_service.check_in(
            record, actor=crew.actor, at_ms=now_ms(), now_ms=now_ms(), method="manual", reason="e2e"
        )
    _check(page, "checked_in")

    with app.app_context():
        queue.call_next(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, count=1, now_ms=now_ms())
    _check(page, "called")
    page.locator(".next-step .next-action").click()
    page.locator("main#screen[data-screen='pass']").wait_for()

    gate = SystemActor("gate-e2e", role="gate")
    with app.app_context():
        waybills.hold(waybill_id=waybill_id, reason="车牌与登记不符", actor=gate, now_ms=now_ms())
    _check(page, "held")
    assert "车牌与登记不符" in page.locator(".next-step .next-detail").inner_text()
    # One truth on every screen: the queue shows the hold too, never "called, drive in" for a held truck.
    page.goto("/#/queue")
    page.locator("[data-held='true'] .hold-notice", has_text="已被扣车").wait_for()
    assert "已叫号，请进场" not in page.locator("main#screen").inner_text()
    page.goto("/#/tickets")
    page.locator(".hold-notice", has_text="已被扣车").wait_for()

    with app.app_context():
        waybills.unhold(waybill_id=waybill_id, reason="核实无误", actor=gate, now_ms=now_ms())
    _check(page, "called")

    with app.app_context():
        queue.admit(waybill_id=waybill_id, actor=gate_actor(mine.mine_id), now_ms=now_ms())
    _check(page, "entered")

    system = SystemActor("e2e")
    for action, state in [
        ("weigh_tare", "tare_weighed"),
        ("weigh_gross", "gross_weighed"),
        ("release", "released"),
        ("depart", "in_transit"),
        ("arrive", "arrived"),
    ]:
        with app.app_context():
            waybills.transition(waybill_id=waybill_id, action=action, actor=system, now_ms=now_ms())
        _check(page, state)
    page.locator(".next-step .next-action").click()
    page.locator("main#screen[data-screen='trip']").wait_for()

    with app.app_context():
        waybills.transition(waybill_id=waybill_id, action="unload", actor=system, now_ms=now_ms())
    _check(page, "free")
    assert page.locator(".next-step .next-detail").inner_text() == "上一车已卸货，等待收货方确认"
    page.locator(".next-step .next-action").click()
    page.locator("main#screen[data-screen='hall']").wait_for()


def _role_card(page, user, sign_in):
    sign_in(page, user, "home")
    page.locator(".next-step .next-action").wait_for(timeout=20000)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 860})
        assert _fits(page) == (True, True, True), (user.role, width)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{user.role}-home-{width}.png"))
    return page.locator(".next-step .next-title").inner_text(), page.locator(".next-step .next-action").inner_text()


def test_every_other_role_sees_what_waits_on_it_first(app, pixel7_context, sign_in):
    from tests.builders import headers_for, make_org, make_vehicle
    from tests.orders.helpers import make_mine as make_order_mine
    from tests.orders.helpers import place_bulk, place_retail, shipper_with_allocation

    with app.app_context():
        client = app.test_client()
        mine = make_order_mine(inventory_kg=10_000_000)
        buyer, idle_buyer = make_user("buyer"), make_user("buyer")
        place_retail(client, buyer, mine)
        carrier_org = make_org("carrier").org_id
        make_vehicle(carrier_org)
        dispatcher = make_user("carrier", org_id=carrier_org)
        shipper = shipper_with_allocation(mine, 1_000_000)
        loads = place_bulk(client, shipper, mine, 3, carrier_id=carrier_org).json["items"]
        declined = client.post(
            f"/api/dispatch/loads/{loads[0]['id']}/decline", json={}, headers=headers_for(dispatcher)
        )
        assert declined.status_code == 200, declined.json
        queue_mine = make_mine()
        crew = Crew(queue_mine.mine_id)
        slot_id = make_slot(queue_mine.mine_id, start_ms=now_ms() + 20 * 60_000, capacity=5)
        booking = booking_service.book(
            principal=crew.actor, waybill_id=crew.waybill.waybill_id, slot_id=slot_id, now_ms=now_ms()
        )
        record = booking_service.get(booking.booking_id)
        checkin_service.check_in(
            record, actor=crew.actor, at_ms=now_ms(), now_ms=now_ms(), method="manual", reason="e2e"
        )
        gate_user = make_user("gate", mine_id=queue_mine.mine_id)
    context = pixel7_context()
    page = context.pages[0] if context.pages else context.new_page()

    title, action = _role_card(page, buyer, sign_in)
    assert title.startswith("订单待接单：") and action == "查看跟踪", title
    page.locator(".next-step .next-action").click()
    page.locator("main#screen[data-screen='track']").wait_for()
    assert _role_card(page, idle_buyer, sign_in) == ("没有进行中的订单", "去订煤")
    assert _role_card(page, shipper, sign_in) == ("1 车被承运商拒绝，请改派", "去处理")
    assert page.locator(".next-step .next-detail").inner_text() == "2 车货等待承运"
    assert _role_card(page, dispatcher, sign_in) == ("2 车委托待接受", "去派车")
    assert _role_card(page, gate_user, sign_in) == ("1 辆车已签到等待叫号", "去叫号")
    page.locator(".next-step .next-action").click()
    page.locator("main#screen[data-screen='gate-queue']").wait_for()
    title, action = _role_card(page, make_user("dispatcher"), sign_in)
    assert re.match(r"^(\d+\+? 条预警待处理|没有待处理的预警)$", title) and action == "去处理", title

"""A driver whose phone is offline when the gate calls still learns of it: the SMS is in the sink at once, and the
inbox (home badge, message, link to the queue) shows it when the phone is back; offline again, from the cache."""

import time

import pytest

from backend.appointments.booking import service as booking
from backend.appointments.checkin import service as checkin
from backend.common.clock import now_ms
from tests.appointments.builders import GATE, Crew, make_mine, make_slot
from tests.builders import headers_for, make_user
from tests.e2e.helpers import api_json, wait_for_service_worker

pytestmark = pytest.mark.e2e
MIN = 60_000


def checked_in_driver(app):
    """A driver with a booked window, checked in at the gate fence (two fixes inside it)."""
    with app.app_context():
        mine = make_mine()
        crew = Crew(mine.mine_id)
        slot = make_slot(mine.mine_id, start_ms=now_ms() + 20 * MIN)
        booking.book(principal=crew.actor, waybill_id=crew.waybill.waybill_id, slot_id=slot, now_ms=now_ms())
        for at in (now_ms() - 20_000, now_ms() - 5_000):
            checkin.process_fix(
                vehicle_id=crew.vehicle.vehicle_id, lon=GATE[0], lat=GATE[1], accuracy_m=8, at_ms=at, now_ms=at
            )
        return mine, crew


def test_a_driver_offline_for_the_call_gets_the_sms_and_the_inbox_message_when_back(
    app, client, sms_sink, pixel7_context, sign_in
):
    mine, crew = checked_in_driver(app)
    context = pixel7_context()
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, crew.user, screen="home")
    wait_for_service_worker(page)
    tile = page.locator("a.tile[data-screen='inbox']")
    tile.wait_for()
    assert tile.locator(".unread-badge").is_hidden()

    context.set_offline(True)
    with app.app_context():
        gate = headers_for(make_user("gate", mine_id=mine.mine_id))
    called = client.post(f"/api/appointments/mines/{mine.mine_id}/call", json={"count": 1}, headers=gate)
    assert called.status_code == 200 and len(called.json["items"]) == 1
    [sms] = sms_sink.messages(crew.user.phone)  # the phone has no data, but the SMS reached it
    assert sms["template_code"] == "SMS_CALLED_ZH" and sms["sign_name"] == "煤运通"

    context.set_offline(False)
    page.reload()
    page.locator("body[data-view='shell']").wait_for()
    badge = page.locator("a.tile[data-screen='inbox'] .unread-badge")
    badge.wait_for()
    assert badge.inner_text() == "1"
    page.locator("a.tile[data-screen='inbox']").click()
    message = page.locator("li.message.unread[data-kind='called']")
    message.wait_for()
    assert "已叫号，请进场" in message.inner_text() and "请在" in message.inner_text()

    context.set_offline(True)  # the inbox reads its last copy offline
    page.reload()
    page.locator("li.message[data-kind='called']").wait_for()
    # The kept copy is drawn first; the status says offline once the fetch has failed.
    page.locator(".inbox-status", has_text="离线").wait_for()

    context.set_offline(False)
    page.reload()
    page.locator("li.message.unread[data-kind='called'] button").click()
    page.wait_for_url("**/#/queue")
    deadline = time.monotonic() + 15
    while api_json(page, "/api/inbox/unread")["unread"] and time.monotonic() < deadline:
        page.wait_for_timeout(200)  # the outbox delivers the read; poll the server until it has it
    assert api_json(page, "/api/inbox/unread") == {"unread": 0}  # read on the server: every device sees it read
    assert len(sms_sink.messages(crew.user.phone)) == 1

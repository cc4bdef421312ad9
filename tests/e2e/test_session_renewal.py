"""A driver's queue screen stays signed in across several access-token expiries (12 s tokens on this server):
the fence check-in, the queue position and the gate's call still reach the screen; a session that cannot be
renewed any more ends on the login screen, saying so."""

import time

import pytest

from backend.appointments.booking import service as booking
from backend.appointments.queue import service as queue
from backend.auth import service as auth_service
from backend.common.clock import now_ms
from tests.appointments.builders import GATE, Crew, gate_actor, make_mine, make_slot
from tests.conftest import serve_app
from tests.e2e.conftest import put_session

FAR_AWAY = {"longitude": 110.10, "latitude": 38.80, "accuracy": 10}  # ~25 km from the gate
AT_GATE = {"longitude": GATE[0], "latitude": GATE[1], "accuracy": 10}
TOKEN_SECONDS = 12


@pytest.fixture(scope="module")
def short_session_server(app, dynamodb, tmp_path_factory):
    """The app served with access tokens of TOKEN_SECONDS (JWT_ACCESS_MINUTES=0.2): expiries come every few polls."""
    process, url = serve_app(
        RECEIPTS_DIR=str(tmp_path_factory.mktemp("uploads")), JWT_ACCESS_MINUTES=str(TOKEN_SECONDS / 60)
    )
    yield url
    process.terminate()
    process.wait(timeout=10)


def _renewals(page, count):
    """Wait for `count` more token renewals (each a POST /api/auth/refresh answered 200)."""
    for _ in range(count):
        with page.expect_response(
            lambda r: r.url.endswith("/api/auth/refresh") and r.status == 200, timeout=3 * TOKEN_SECONDS * 1000
        ):
            pass


def test_queue_screen_keeps_its_session_across_token_expiries(app, pixel7_context, short_session_server):
    with app.app_context():
        mine = make_mine()
        crew = Crew(mine.mine_id)
        slot_id = make_slot(mine.mine_id, start_ms=now_ms() + 20 * 60_000, capacity=5)
        booking.book(principal=crew.actor, waybill_id=crew.waybill.waybill_id, slot_id=slot_id, now_ms=now_ms())
        gate = gate_actor(mine.mine_id)
    context = pixel7_context(permissions=["geolocation"], geolocation=FAR_AWAY, base_url=short_session_server)
    page = context.pages[0] if context.pages else context.new_page()
    refused = []
    page.on("response", lambda r: refused.append(r.url) if "/api/appointments/" in r.url and r.status == 401 else None)

    put_session(page, app, crew.user, short_session_server)
    page.goto("/#/queue")
    page.reload()
    page.locator("[data-stage='booked']").wait_for()
    page.locator(".gps-state", has_text="不在签到区内").wait_for(timeout=20000)

    _renewals(page, 2)  # two tokens have run out while the screen polled
    context.set_geolocation(AT_GATE)
    page.locator("[data-stage='checked_in']").wait_for(timeout=40000)
    page.locator(".position", has_text="第 1 位").wait_for()

    # The phone sleeps (no timers run) until its token has run out; the gate calls meanwhile. On waking the
    # poll renews first, so not one call is refused, and the call is on screen at once.
    expires_s = page.evaluate(
        """() => import('/lib/session.js').then((s) => JSON.parse(atob(s.accessToken().split('.')[1]
          .replace(/-/g, '+').replace(/_/g, '/'))).exp)"""
    )
    cdp = context.new_cdp_session(page)
    cdp.send("Page.setWebLifecycleState", {"state": "frozen"})
    while time.time() < expires_s + 1:  # waiting for the token's own expiry, not for the app
        time.sleep(0.2)
    with app.app_context():
        queue.call_next(principal=gate, mine_id=mine.mine_id, count=1, now_ms=now_ms())
    refused.clear()
    cdp.send("Page.setWebLifecycleState", {"state": "active"})
    banner = page.locator(".call-banner")
    banner.wait_for(timeout=15000)  # the next poll, not "40 s later"
    assert refused == []
    assert "前到达门岗" in banner.inner_text()
    assert page.locator("body[data-view='shell']").count() == 1
    # A poll whose token ran out in flight may see one 401 and retry; the screen never kept failing.
    assert len(refused) <= 2, refused


def test_a_session_that_cannot_be_renewed_leads_to_the_login(app, pixel7_context, short_session_server):
    with app.app_context():
        mine = make_mine()
        crew = Crew(mine.mine_id)
        slot_id = make_slot(mine.mine_id, start_ms=now_ms() + 20 * 60_000, capacity=5)
        booking.book(principal=crew.actor, waybill_id=crew.waybill.waybill_id, slot_id=slot_id, now_ms=now_ms())
    context = pixel7_context(permissions=["geolocation"], geolocation=FAR_AWAY, base_url=short_session_server)
    page = context.pages[0] if context.pages else context.new_page()
    put_session(page, app, crew.user, short_session_server)
    page.goto("/#/queue")
    page.reload()
    page.locator("[data-stage='booked']").wait_for()

    # Signed out elsewhere (the family this device's cookie belongs to is revoked): the next renewal fails.
    cookie = next(c for c in context.cookies() if c["name"] == "ch_refresh")
    with app.app_context():
        auth_service.logout(refresh_token=cookie["value"])
    notice = page.locator(".session-expired")
    notice.wait_for(timeout=3 * TOKEN_SECONDS * 1000)
    assert "重新登录" in notice.inner_text()
    assert page.locator("body[data-view='login']").count() == 1
    assert page.get_by_label("手机号").is_visible()  # a way back in, not a blank screen


def test_a_write_queued_offline_replays_after_the_token_ran_out(app, pixel7_context, short_session_server):
    with app.app_context():
        mine = make_mine()
        crew = Crew(mine.mine_id)
        slot_id = make_slot(mine.mine_id, start_ms=now_ms() + 20 * 60_000, capacity=5)
        booked = booking.book(
            principal=crew.actor, waybill_id=crew.waybill.waybill_id, slot_id=slot_id, now_ms=now_ms()
        )
    context = pixel7_context(permissions=["geolocation"], geolocation=FAR_AWAY, base_url=short_session_server)
    page = context.pages[0] if context.pages else context.new_page()
    put_session(page, app, crew.user, short_session_server)
    page.goto("/#/queue")
    page.reload()
    page.locator("[data-stage='booked']").wait_for()

    context.set_offline(True)
    page.locator("details summary", has_text="申请人工签到").click()
    page.get_by_label("原因").fill("手机定位坏了")
    page.get_by_role("button", name="提交申请").click()
    page.locator(".badge.pending[data-count='1']").wait_for()
    expires_s = page.evaluate(
        """() => import('/lib/session.js').then((s) => JSON.parse(atob(s.accessToken().split('.')[1]
          .replace(/-/g, '+').replace(/_/g, '/'))).exp)"""
    )
    while time.time() < expires_s + 1:  # offline past the token's expiry (a renewal cannot reach the server)
        time.sleep(0.2)
    context.set_offline(False)  # the outbox replays on 'online': renew first, then the write
    page.locator(".badge.pending[data-count='0']").wait_for(state="attached", timeout=20000)
    with app.app_context():
        assert booking.find(booked.booking_id).manual_requested_at
    assert page.locator("body[data-view='shell']").count() == 1

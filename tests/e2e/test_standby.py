"""A driver who can come earlier than any free window stands by for it from the phone; an absent truck's seat is
offered at once, the standby driver is moved into that window, checks in and is called on the phone."""

from backend.appointments.booking import service as booking
from backend.appointments.checkin import service as checkin
from backend.appointments.queue import service as queue
from backend.catalogue import service as catalogue
from backend.common.clock import now_ms
from tests.appointments.builders import Crew, gate_actor, make_mine, make_slot
from tests.e2e.helpers import api_json

MIN = 60_000
FAR_AWAY = {"longitude": 110.10, "latitude": 38.80, "accuracy": 10}


def test_a_standby_driver_is_promoted_into_an_absent_truck_s_seat_and_called(app, pixel7_context, sign_in):
    with app.app_context():
        mine = make_mine()
        start = now_ms() + 20 * MIN
        early = make_slot(mine.mine_id, start_ms=start, capacity=1)
        absent = Crew(mine.mine_id)  # takes the early window's only seat, and will not come
        booking.book(principal=absent.actor, waybill_id=absent.waybill.waybill_id, slot_id=early, now_ms=now_ms())
        later = make_slot(mine.mine_id, start_ms=start + 4 * 60 * MIN, capacity=5)
        crew = Crew(mine.mine_id)
    context = pixel7_context(permissions=["geolocation"], geolocation=FAR_AWAY)
    page = context.pages[0] if context.pages else context.new_page()

    sign_in(page, crew.user, "booking")
    card = page.locator(f"article[data-waybill='{crew.waybill.waybill_id}']")
    # The truck can be at the mine right away: the earliest window with room is the later one; stand by.
    card.locator("input[name='ready_at']").fill(_local_input(page, now_ms()))
    card.locator("button[name='offer']").click()
    card.locator("input[name='standby']").wait_for()
    assert card.locator("input[name='standby']").is_checked()
    card.locator("button[name='book-offer']").click()
    page.locator(".notice.standby").wait_for(timeout=20000)
    mine_bookings = api_json(page, "/api/appointments/bookings/mine")
    assert mine_bookings["items"][0]["slot_id"] == later

    with app.app_context():
        # Ten minutes after the absent truck's arrive-by time its seat is offered, and the standby truck moved in.
        moment = start - 5 * MIN
        promoted = queue.fill_seats(catalogue.get_mine(mine.mine_id), now_ms=moment)
        assert [b.waybill_id for b in promoted] == [crew.waybill.waybill_id]
        moved = booking.find(promoted[0].booking_id)
        checkin.check_in(moved, actor=gate_actor(mine.mine_id), at_ms=now_ms(), now_ms=now_ms(), method="manual")

    page.goto("/#/queue")
    page.locator("[data-stage='checked_in']").wait_for(timeout=20000)
    assert api_json(page, "/api/appointments/bookings/mine")["items"][0]["slot_id"] == early

    with app.app_context():
        called = queue.call_next(principal=gate_actor(mine.mine_id), mine_id=mine.mine_id, now_ms=now_ms())
        assert [b.waybill_id for b in called] == [crew.waybill.waybill_id]  # by the call rule, in queue order
    page.locator(".call-banner").wait_for(timeout=20000)

    # The driver's queue record shows the promotion and the call, the day's chain intact.
    page.goto("/#/queue-record")
    page.locator(".chain-state.ok").wait_for(timeout=20000)


def _local_input(page, ms):
    """A datetime-local value for `ms` in the phone's own time zone."""
    return page.evaluate("(ms) => new Date(ms - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16)", ms)

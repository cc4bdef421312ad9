"""The slot opener: windows from the mine's template, idempotent re-runs that keep bookings."""

from backend.appointments.booking import service as booking
from backend.appointments.windows import service as windows
from backend.appointments.windows import store
from backend.appointments.windows.planning import slot_id as window_id
from backend.catalogue.models import Product
from backend.common.clock import now_ms, shanghai_date, shanghai_midnight_ms
from tests.appointments.builders import make_mine, make_waybill


class Driver:
    def __init__(self, user_id):
        self.user_id, self.role, self.org_id, self.mine_id = user_id, "driver", None, None


def test_rerunning_the_opener_neither_duplicates_windows_nor_resets_bookings(app):
    with app.app_context():
        mine = make_mine(lanes=3, per_hour=8)
        now = now_ms()
        tomorrow = shanghai_date(now + 86_400_000)
        first = windows.open_slots(now_ms=now, days=2, mine_ids=[mine.mine_id])
        assert first["opened"] == 2 * 16  # 06:00–22:00 in 60-minute windows, today and tomorrow
        day = store.slots_between(
            mine.mine_id, shanghai_midnight_ms(tomorrow), shanghai_midnight_ms(tomorrow) + 86_400_000
        )
        assert {s.capacity for s in day} == {3 * 8}
        waybill = make_waybill(mine.mine_id)
        slot_id = window_id(mine.mine_id, day[0].start_ms)
        booking.book(principal=Driver(waybill.driver_id), waybill_id=waybill.waybill_id, slot_id=slot_id, now_ms=now)
        assert windows.open_slots(now_ms=now, days=2, mine_ids=[mine.mine_id]) == {"opened": 0}
        assert store.get_slot(mine.mine_id, day[0].start_ms).booked == 1
        assert (
            len(
                store.slots_between(
                    mine.mine_id, shanghai_midnight_ms(tomorrow), shanghai_midnight_ms(tomorrow) + 86_400_000
                )
            )
            == 16
        )


def test_a_small_production_plan_scales_the_seats_down(app):
    with app.app_context():
        mine = make_mine(lanes=4, per_hour=6)
        # 4 lanes × 6 × 16 h = 384 trucks; a plan of 96 trucks' worth of coal fills a quarter of that
        Product(
            mine.mine_id,
            "raw",
            name="原煤",
            name_en="Raw",
            price_fen_per_t=60000,
            plan_kg=96 * 34000,
            updated_at=now_ms(),
        ).save()
        windows.open_slots(now_ms=now_ms(), days=1, mine_ids=[mine.mine_id])
        today = shanghai_date(now_ms())
        seats = {
            s.capacity
            for s in store.slots_between(
                mine.mine_id, shanghai_midnight_ms(today), shanghai_midnight_ms(today) + 86_400_000
            )
        }
        assert seats == {6}  # 24 per hour × 0.25

"""A synthetic day at a fresh mine: windows opened, loads booked, checked in, moved through the gate and the road,
alerts raised and resolved."""

import random

from backend.common.access import Principal
from backend.common.clock import shanghai_midnight_ms
from tests.builders import random_ref

PATH = [
    ("assign", lambda w: {"carrier_id": w["carrier"], "driver_id": w["driver"], "vehicle_id": random_ref("veh")}),
    ("book", None),
    ("check_in", None),
    ("call", None),
    ("enter", None),
    ("weigh_tare", lambda w: {"tare_kg": 15000}),
    ("weigh_gross", lambda w: {"gross_kg": 15000 + w["net"], "net_kg": w["net"]}),
    ("release", None),
    ("depart", None),
    ("arrive", None),
    ("unload", None),
    ("confirm", lambda w: {"received_kg": w["net"] - w["loss"]}),
]
ACTOR = Principal(user_id="synthetic", role="dispatcher")
WINDOW_MS = 2 * 3600 * 1000
LOADS_PER_WINDOW = 6
SLOW_QUEUE_MS = 150 * 60 * 1000  # every fifth truck waits 2.5 h after its check-in: past the free time (detention)


def _open_windows(mine_id, day, start, count):
    """The mine's windows of the day, written as the windows domain writes them (a stream INSERT each)."""
    from backend.appointments.windows.models import Slot

    slots = []
    for k in range(count):
        begin = start + k * WINDOW_MS
        slot = Slot(mine_id, begin, end_ms=begin + WINDOW_MS, date=day, capacity=8, created_at=begin, updated_at=begin)
        slot.save()
        slots.append(slot)
    return slots


def _booking(booking_id, waybill_id, driver_id, slot, at):
    from backend.appointments.booking.models import Booking

    booking = Booking(
        booking_id,
        waybill_id=waybill_id,
        driver_id=driver_id,
        vehicle_id=random_ref("veh"),
        mine_id=slot.mine_id,
        slot_id=f"{slot.mine_id}#{slot.start_ms}",
        slot_start_ms=slot.start_ms,
        slot_end_ms=slot.end_ms,
        status="active",
        created_at=at,
        updated_at=at,
    )
    booking.save()
    slot.update(actions=[slot.__class__.booked.add(1)])
    return booking


def _follow_booking(booking, action, slot, when):
    """The booking's side of a waybill move: check-in time, gate entry, or the seat given back."""
    from backend.appointments.booking.models import Booking

    if action == "check_in":
        booking.update(actions=[Booking.checked_in_at.set(when), Booking.stage.set("checked_in")])
    elif action == "enter":
        booking.update(actions=[Booking.status.set("entered"), Booking.updated_at.set(when)])
    elif action == "cancel_booking":
        booking.update(actions=[Booking.status.set("cancelled"), Booking.updated_at.set(when)])
        slot.update(actions=[slot.__class__.booked.add(-1)])


def make_day(day, *, loads=12, seed=7):
    """Write one day's records through the real services; returns {"mine_id", "shipper_id", "carriers"}."""
    from backend.alerts import service as alerts
    from backend.db import transaction
    from backend.waybills import service as waybills

    rng = random.Random(seed)
    start = shanghai_midnight_ms(day) + 6 * 3600 * 1000
    mine_id, shipper_id = random_ref("mine"), random_ref("shp")
    carriers = [random_ref("car") for _ in range(2)]
    slots = _open_windows(mine_id, day, start, loads // LOADS_PER_WINDOW + 1)
    for n in range(loads):
        at = start + n * 20 * 60 * 1000
        slot = slots[n // LOADS_PER_WINDOW]
        booking_id = random_ref("bk")
        facts = {
            "carrier": rng.choice(carriers),
            "driver": random_ref("drv"),
            "net": rng.randint(28000, 34000),
            "loss": rng.randint(0, 120),
        }
        waybill_id = random_ref("wb")
        record = waybills.new_waybill(
            waybill_id,
            state="open",
            mine_id=mine_id,
            product_id="p1",
            tonnage_kg=32000,
            shipper_id=shipper_id,
            wanted_date=day if n % 3 else "2000-01-01",  # every third is late
            quote={"road_distance_m": 85000 + n * 1000},
            created_at=at,
            updated_at=at,
        )
        with transaction() as tx:
            waybills.create_step(record)(tx)
        steps = PATH[: rng.randint(3, len(PATH))] if n % 4 else PATH[:2] + [("cancel_booking", None)]
        booking = None
        for i, (action, changes) in enumerate(steps, start=1):
            late = SLOW_QUEUE_MS if n % 5 == 1 and i >= 4 else 0
            when = at + i * 60 * 1000 + late
            change = changes(facts) if changes else None
            if action == "book":
                change = {"booking_id": booking_id}
            waybills.transition(waybill_id=waybill_id, action=action, actor=ACTOR, now_ms=when, changes=change)
            if action == "book":
                booking = _booking(booking_id, waybill_id, facts["driver"], slot, when)
            elif booking is not None:
                _follow_booking(booking, action, slot, when)
    plates = [
        alerts.raise_alert(kind="fake_plate", mine_id=mine_id, reason="plate", actor=ACTOR, now_ms=start + k)
        for k in range(3)
    ]
    alerts.raise_alert(kind="long_stop", mine_id=mine_id, reason="stop", actor=ACTOR, now_ms=start + 9)
    alerts.resolve(principal=ACTOR, alert_id=plates[0].alert_id, outcome="cleared", reason="misread", now_ms=start + 50)
    return {"mine_id": mine_id, "shipper_id": shipper_id, "carriers": carriers}

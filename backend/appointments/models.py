"""Slots (a mine's time windows with a seat counter), bookings, queue events, check-in debounce, push subscriptions."""
from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class Slot(Model):
    """One window at one mine: `booked` never exceeds `capacity` (conditional writes only)."""

    class Meta:
        table_name = "slots"

    mine_id = UnicodeAttribute(hash_key=True)
    start_ms = NumberAttribute(range_key=True)
    end_ms = NumberAttribute()
    date = UnicodeAttribute()  # YYYY-MM-DD, Asia/Shanghai
    capacity = NumberAttribute()
    booked = NumberAttribute(default=0)
    status = UnicodeAttribute(default="open")  # open | closed
    close_reason = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    # Queue counters of the window (appointments.queue.position_of): trucks waiting = joined − called − left,
    # trucks called and not yet through = called − done. Each changes in the transaction that moves the truck.
    q_joined = NumberAttribute(null=True)  # check-ins and requeues; also the last queue_seq handed out
    q_called = NumberAttribute(null=True)
    q_left = NumberAttribute(null=True)  # left the waiting line without a call (checked out, let in by override)
    q_done = NumberAttribute(null=True)  # called trucks that entered, were sent back or expired


def _gsi(name, hash_name, range_name):
    meta = type("Meta", (), {"index_name": name, "projection": AllProjection()})
    return type(f"Bookings_{name}", (GlobalSecondaryIndex,), {
        "Meta": meta, hash_name: UnicodeAttribute(hash_key=True), range_name: NumberAttribute(range_key=True)})


BookingsInQueue = _gsi("queue", "queue_mine_id", "slot_start_ms")
BookingsByVehicle = _gsi("by_active_vehicle", "active_vehicle_id", "slot_start_ms")
BookingsByDriver = _gsi("by_driver", "driver_id", "created_at")


class Booking(Model):
    """A waybill's seat in a slot. `queue_mine_id` / `active_vehicle_id` exist only while it is active (sparse GSIs)."""

    class Meta:
        table_name = "bookings"

    booking_id = UnicodeAttribute(hash_key=True)
    waybill_id = UnicodeAttribute()
    driver_id = UnicodeAttribute()
    vehicle_id = UnicodeAttribute()
    plate = UnicodeAttribute(null=True)
    mine_id = UnicodeAttribute()
    slot_id = UnicodeAttribute()
    slot_start_ms = NumberAttribute()
    slot_end_ms = NumberAttribute()
    status = UnicodeAttribute()  # active | moved | cancelled | closed | expired | entered
    stage = UnicodeAttribute(default="booked")  # booked | checked_in | called (mirrors the waybill)
    queue_mine_id = UnicodeAttribute(null=True)
    active_vehicle_id = UnicodeAttribute(null=True)
    checked_in_at = NumberAttribute(null=True)
    checkin_method = UnicodeAttribute(null=True)  # auto | manual
    manual_reason = UnicodeAttribute(null=True)
    manual_requested_at = NumberAttribute(null=True)
    queue_at = NumberAttribute(null=True)  # check-in time, or the time it was sent back
    queue_seq = NumberAttribute(null=True)  # place in its window's line: the window's q_joined when it joined
    called_at = NumberAttribute(null=True)
    call_deadline_ms = NumberAttribute(null=True)
    requeues = NumberAttribute(default=0)
    end_reason = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    queue = BookingsInQueue()
    by_active_vehicle = BookingsByVehicle()
    by_driver = BookingsByDriver()


class QueueEvent(Model):
    """A recorded change of a mine's queue: who, when, why (calls, requeues, overrides, closures)."""

    class Meta:
        table_name = "queue_events"

    mine_id = UnicodeAttribute(hash_key=True)
    event_key = UnicodeAttribute(range_key=True)  # "<at ms, 13 digits>#<random>": time order
    at = NumberAttribute()
    action = UnicodeAttribute()
    booking_id = UnicodeAttribute(null=True)
    waybill_id = UnicodeAttribute(null=True)
    slot_id = UnicodeAttribute(null=True)
    actor_id = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)
    detail = JSONAttribute(null=True)


class CheckinDebounce(Model):
    """Per-vehicle fence state between fixes (a Lambda keeps no memory between calls)."""

    class Meta:
        table_name = "checkin_debounce"

    vehicle_id = UnicodeAttribute(hash_key=True)
    inside = NumberAttribute(default=0)  # 1 inside, 0 outside
    streak = NumberAttribute(default=0)  # consecutive fixes on the same side
    since_ms = NumberAttribute()  # first fix of the current streak
    last_fix_ms = NumberAttribute()


class PushSubscription(Model):
    """A browser's Web Push subscription for a user."""

    class Meta:
        table_name = "push_subscriptions"

    user_id = UnicodeAttribute(hash_key=True)
    endpoint_hash = UnicodeAttribute(range_key=True)
    endpoint = UnicodeAttribute()
    keys = JSONAttribute()
    created_at = NumberAttribute()

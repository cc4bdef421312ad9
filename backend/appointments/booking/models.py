"""Bookings: a waybill's seat in a window, and its place through check-in, the queue and the gate."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


def _gsi(name, hash_name, range_name):
    meta = type("Meta", (), {"index_name": name, "projection": AllProjection()})
    return type(
        f"Bookings_{name}",
        (GlobalSecondaryIndex,),
        {"Meta": meta, hash_name: UnicodeAttribute(hash_key=True), range_name: NumberAttribute(range_key=True)},
    )


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
    held_at = NumberAttribute(null=True)  # its waybill is held (an alert at the gate) while it is in the queue
    requeues = NumberAttribute(default=0)
    end_reason = UnicodeAttribute(null=True)
    # Standby: the truck can be at the mine from this time and waits for a seat in an earlier window than its own.
    standby_from_ms = NumberAttribute(null=True)
    seat = NumberAttribute(null=True)  # seats already booked when it took its own: its share of the window (arrive_by)
    seats = NumberAttribute(null=True)  # the window's seats then
    seat_offered_at = NumberAttribute(null=True)  # absent at its time: its seat was offered to a standby truck
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    queue = BookingsInQueue()
    by_active_vehicle = BookingsByVehicle()
    by_driver = BookingsByDriver()

"""A mine's time windows: the seat counter and the window's queue counters."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from backend.common.table_model import Model


class Slot(Model):
    """One window at one mine: `booked` never exceeds `capacity` (conditional writes only)."""

    class Meta:
        table_name = "slots"

    mine_id = UnicodeAttribute(hash_key=True)
    start_ms = NumberAttribute(range_key=True)
    end_ms = NumberAttribute()
    date = UnicodeAttribute()  # YYYY-MM-DD, Asia/Shanghai
    capacity = NumberAttribute()  # seats sold: the lanes' seats plus overbooking and absent trucks' seats offered
    lane_capacity = NumberAttribute(null=True)  # the trucks the lanes load in the window at the measured cycle
    booked = NumberAttribute(default=0)
    status = UnicodeAttribute(default="open")  # open | closed
    close_reason = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    # Queue counters of the window (queue.service.position_of): trucks waiting = joined − called − left,
    # trucks called and not yet through = called − done. Each changes in the transaction that moves the truck.
    q_joined = NumberAttribute(null=True)  # check-ins and requeues; also the last queue_seq handed out
    q_called = NumberAttribute(null=True)
    q_left = NumberAttribute(null=True)  # left the waiting line without a call (checked out, let in by override)
    q_done = NumberAttribute(null=True)  # called trucks that entered, were sent back or expired


class MineQueueStats(Model):
    """A mine's running queue figures: the lot's count (conditional, never above the bound) and measured rates."""

    class Meta:
        table_name = "queue_stats"

    mine_id = UnicodeAttribute(hash_key=True)
    in_lot = NumberAttribute(default=0)  # checked in and waiting, not yet called
    finished = NumberAttribute(default=0)  # bookings that reached the gate
    no_shows = NumberAttribute(default=0)  # bookings that expired without coming
    refills = NumberAttribute(default=0)  # absent trucks' seats given to standby trucks
    drive_ms_total = NumberAttribute(default=0)  # call → gate, summed over `drive_n` trucks
    drive_n = NumberAttribute(default=0)
    cycle_ms = NumberAttribute(null=True)  # the lanes' measured cycle (gate weighings), set by the scheduled tick

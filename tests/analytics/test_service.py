"""The KPI rules and the stream's decoding, on plain values (no DynamoDB)."""

from boto3.dynamodb.types import TypeSerializer

from backend.analytics import export, kpis, stream
from backend.analytics.store import AlreadyApplied
from infra import generate

ARN = "arn:aws:dynamodb:ddblocal:000000000000:table/t-waybills/stream/2026"
AT = 1_773_441_060_000  # 2026-03-14 06:31 Asia/Shanghai


def _record(seq, new, old=None, arn=ARN):
    dump = lambda image: {k: TypeSerializer().serialize(v) for k, v in image.items()}  # noqa: E731
    data = {"SequenceNumber": str(seq), "NewImage": dump(new)}
    if old:
        data["OldImage"] = dump(old)
    return {"eventName": "MODIFY" if old else "INSERT", "eventSourceARN": arn, "dynamodb": data}


def _waybill(state, **extra):
    return {"waybill_id": "wb1", "state": state, "mine_id": "m1", "shipper_id": "s1", "updated_at": AT, **extra}


class FakeAggregates:
    """The store's apply(): marks refuse an already-counted record, increments add up."""

    def __init__(self):
        self.marks, self.items = {}, {}

    def apply(self, marks, merged, now_ms):
        if any(key in self.marks and self.marks[key] >= first for key, (first, _) in marks.items()):
            raise AlreadyApplied()
        for key, (_, last) in marks.items():
            self.marks[key] = last
        for key, counts in merged.items():
            into = self.items.setdefault(key, {})
            for name, n in counts.items():
                into[name] = into.get(name, 0) + n


def test_the_same_record_twice_counts_once():
    released = _record(5, _waybill("released", net_kg=31000), _waybill("gross_weighed"))
    fake = FakeAggregates()
    first = stream.handle([released], prefix="t-", apply=fake.apply, now_ms=0)
    again = stream.handle([released], prefix="t-", apply=fake.apply, now_ms=0)
    assert (first["counted"], again["counted"], again["skipped"]) == (1, 0, 1)
    assert fake.items[("mine#m1", "d#2026-03-14")] == {"loaded": 1, "out_kg": 31000}
    assert fake.items[("mine#m1", "h#2026-03-14T06")] == {"loaded": 1, "out_kg": 31000}


def test_a_redelivered_batch_with_new_records_counts_only_the_new_ones():
    created = _record(1, _waybill("open"))
    departed = _record(2, _waybill("in_transit"), _waybill("released"))
    fake = FakeAggregates()
    stream.handle([created], prefix="t-", apply=fake.apply, now_ms=0)
    result = stream.handle([created, departed], prefix="t-", apply=fake.apply, now_ms=0)
    assert (result["counted"], result["skipped"]) == (1, 1)
    assert fake.items[("shipper#s1", "d#2026-03-14")] == {"planned": 1, "departed": 1, "in_transit": 1}
    assert fake.items[("all", "live")] == {"in_transit": 1}


def test_other_tables_and_removals_count_nothing():
    other = _record(1, _waybill("open"), arn=ARN.replace("t-waybills", "t-waybill_events"))
    assert stream.change(other, "t-") is None


def test_chunks_fit_one_transaction():
    records = [_record(i, {**_waybill("open"), "waybill_id": f"wb{i}", "mine_id": f"m{i}"}) for i in range(200)]
    changes = [stream.change(r, "t-") for r in records]
    parts = stream.chunks(changes)
    assert len(parts) > 1 and all(len(marks) + len(merged) <= 100 for marks, merged, _ in parts)
    assert sum(len(members) for *_, members in parts) == 200


def test_delivery_counts_on_time_haul_work_and_loss():
    wb = _waybill("unloaded", net_kg=30000, wanted_date="2026-03-13", quote='{"road_distance_m": 90000}')
    assert kpis.waybill_counters(wb, "arrived", "unloaded", AT) == {"delivered": 1, "kgkm": 2_700_000}
    confirmed = kpis.waybill_counters({**wb, "received_kg": 29900}, "unloaded", "confirmed", AT)
    assert confirmed == {"received_kg": 29900, "loss_kg": 100}


def test_infra_streams_and_exports_are_the_tables_the_code_reads():
    assert set(generate.STREAM_TABLES) == set(stream.SOURCES)
    assert set(generate.EXPORT_TABLES) == set(export.EXPORTED)


def test_time_in_the_gate_counts_when_the_truck_leaves_each_gate_state():
    minutes = 60_000
    weighed = kpis.waybill_counters(_waybill("tare_weighed"), "entered", "tare_weighed", AT, AT - 7 * minutes)
    assert weighed == {"gate_ms": 7 * minutes}
    released = kpis.waybill_counters(
        _waybill("released", net_kg=30000, tonnage_kg=32000), "gross_weighed", "released", AT, AT - 3 * minutes
    )
    assert released == {"loaded": 1, "out_kg": 30000, "capacity_kg": 32000, "gate_ms": 3 * minutes}
    on_road = kpis.waybill_counters(_waybill("arrived"), "in_transit", "arrived", AT, AT - 90 * minutes)
    assert "gate_ms" not in on_road  # the road is not the gate


def _booking(**extra):
    slot = {"slot_start_ms": AT - 3_600_000, "slot_end_ms": AT}
    return {"booking_id": "bk1", "mine_id": "m1", "driver_id": "d1", "status": "active", **slot, **extra}


def test_gate_entry_counts_queue_time_and_detention_past_the_free_time():
    checked_in = AT - 30 * 60_000
    entered = _booking(status="entered", checked_in_at=checked_in, updated_at=checked_in + 150 * 60_000)
    counts = kpis.booking_counters(_booking(checked_in_at=checked_in), entered, free_minutes=120)
    assert counts == {"queued": 1, "queue_ms": 150 * 60_000, "detention_minutes": 30}
    early = {**entered, "checked_in_at": AT - 2 * 3_600_000, "updated_at": AT + 60 * 60_000}
    assert "detention_minutes" not in kpis.booking_counters(_booking(), early, free_minutes=120)  # at its own risk
    assert kpis.booking_counters(_booking(), _booking(stage="checked_in"), free_minutes=120) == {}


def test_window_seats_count_their_changes_on_the_window_s_day():
    window = {"mine_id": "m1", "start_ms": AT, "capacity": 8, "booked": 0}
    opened = _record(1, window, arn=ARN.replace("t-waybills", "t-slots"))
    booked = _record(2, {**window, "booked": 3}, window, arn=ARN.replace("t-waybills", "t-slots"))
    fake = FakeAggregates()
    stream.handle([opened, booked], prefix="t-", apply=fake.apply, now_ms=0)
    assert fake.items[("mine#m1", "d#2026-03-14")] == {"seats_offered": 8, "seats_taken": 3}
    assert kpis.NOT_YET == ()

"""DynamoDB Streams -> aggregate increments: a pure decoding step, then one transaction per chunk of records.

Idempotent per record: each source item has a mark holding the last sequence number counted for it; the
chunk's transaction moves every mark forward on the condition that it is older than the chunk's first record
of that item, so a redelivered record (Lambda retries a batch, the local poller restarts) counts once. Records
of one item arrive in order on one shard, which is what makes "older than" the right test.
"""

from decimal import Decimal

from backend.analytics import kpis

MAX_TX_ITEMS = 100  # DynamoDB's limit on a TransactWriteItems
# The tables whose streams the aggregates read (infra enables exactly these): waybills (moves, gate time, tonnes),
# bookings (check-in → gate: queue time, detention), slots (window seats vs capacity), alerts.
SOURCES = ("waybills", "alerts", "bookings", "slots")


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_plain(v) for v in value]
    return value


def _image(raw):
    if not raw:
        return None
    from boto3.dynamodb.types import TypeDeserializer  # Lambda's runtime has boto3; only the stream path needs it

    decode = TypeDeserializer().deserialize
    return {k: _plain(decode(v)) for k, v in raw.items()}


def source_table(record, prefix):
    """The base table name of a record ('waybills'), from its stream ARN; None for other tables."""
    arn = record.get("eventSourceARN", "")
    name = arn.split(":table/", 1)[-1].split("/stream/", 1)[0]
    base = name[len(prefix) :] if prefix and name.startswith(prefix) else name
    return base if base in SOURCES else None


def counted(table, old, new, free_minutes):
    """(item id, counter increments, the instant whose day they count on) of one change of a source table."""
    if table == "waybills":
        since = old and old["updated_at"]
        counts = kpis.waybill_counters(new, old and old["state"], new["state"], new["updated_at"], since)
        return new["waybill_id"], counts, new["updated_at"]
    if table == "bookings":
        return new["booking_id"], kpis.booking_counters(old, new, free_minutes), new["updated_at"]
    if table == "slots":  # a window's seats count on the window's own day
        return f"{new['mine_id']}#{new['start_ms']}", kpis.slot_counters(old, new), new["start_ms"]
    return new["alert_id"], kpis.alert_counters(old, new), new["created_at"]


def change(record, prefix, free_minutes=120):
    """(mark_key, sequence number, [increments]) for one stream record, or None when it counts for nothing."""
    table = source_table(record, prefix)
    if table is None or record.get("eventName") == "REMOVE":
        return None
    data = record["dynamodb"]
    old, new = _image(data.get("OldImage")), _image(data.get("NewImage"))
    item_id, counts, at = counted(table, old, new, free_minutes)
    if not counts:  # nothing to count, nothing to mark: most bookings' and slots' changes cost no write
        return None
    return f"mark#{table}#{item_id}", int(data["SequenceNumber"]), kpis.increments(new, counts, at)


def chunks(changes):
    """Group changes so that one chunk's marks and aggregate items fit one transaction: [(marks, merged, changes)]."""
    out, marks, pairs, members = [], {}, [], []
    for mark_key, seq, incs in changes:
        trial_marks = dict(marks)
        first, last = trial_marks.get(mark_key, (seq, seq))
        trial_marks[mark_key] = (min(first, seq), max(last, seq))
        trial_pairs = pairs + incs
        if members and len(trial_marks) + len(kpis.merge(trial_pairs)) > MAX_TX_ITEMS:
            out.append((marks, kpis.merge(pairs), members))
            trial_marks, trial_pairs, members = {mark_key: (seq, seq)}, list(incs), []
        marks, pairs = trial_marks, trial_pairs
        members.append((mark_key, seq, incs))
    if members:
        out.append((marks, kpis.merge(pairs), members))
    return out


def handle(records, *, prefix, apply, now_ms, free_minutes=120):
    """Count a batch of stream records through `apply(marks, merged, now_ms)`: {"records", "counted", "skipped"}.

    A chunk refused because one of its records was counted before is replayed record by record, so the
    others still count and the repeated one does not.
    """
    from backend.analytics.store import AlreadyApplied

    changes = [c for c in (change(r, prefix, free_minutes) for r in records) if c is not None]
    counted = skipped = 0
    for marks, merged, members in chunks(changes):
        try:
            apply(marks, merged, now_ms)
            counted += len(members)
            continue
        except AlreadyApplied:
            pass
        for mark_key, seq, incs in members:
            try:
                apply({mark_key: (seq, seq)}, kpis.merge(incs), now_ms)
                counted += 1
            except AlreadyApplied:
                skipped += 1
    return {"records": len(records), "counted": counted, "skipped": skipped}


def lambda_handler(event, context=None):
    """Zappa's DynamoDB stream event source: count the batch inside the app (models bound to the stage's tables)."""
    from backend.analytics import service
    from backend.wsgi import app  # binds the models once per container, as the jobs do

    with app.app_context():
        return service.count_stream_records(event.get("Records", []))

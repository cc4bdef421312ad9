"""One BatchGetItem for the reads a write needs, across the tables of several domains.

A write is its reads plus one transaction (DESIGN.md). Each owner domain hands out a `Read`
for its record (`waybills.service.read(...)`, `accounts.service.vehicle_read(...)`); the caller
passes them here together and gets the records back in the same order, from one round trip.
Only the owners name their models: a `Read` carries the model class the caller never sees.
"""

from dataclasses import dataclass

from flask import has_request_context, request

# Per request, not per app context: a test client may share one app context across requests.
HOOKS = "coalhaul.batch_read_hooks"

BATCH_GET_LIMIT = 100  # DynamoDB's per-call limit on keys
MAX_UNPROCESSED_RETRIES = 5


@dataclass(frozen=True)
class Read:
    """One item to read: its model (known only to the owner's store) and key."""

    model: type
    hash_key: object
    range_key: object = None

    def table(self):
        return self.model.Meta.table_name

    def key(self):
        """The key as DynamoDB's wire format wants it."""
        hash_attr, range_attr = self.model._hash_key_attribute(), self.model._range_key_attribute()
        hash_value, range_value = self.model._serialize_keys(self.hash_key, self.range_key)
        key = {hash_attr.attr_name: {hash_attr.attr_type: hash_value}}
        if range_attr is not None:
            key[range_attr.attr_name] = {range_attr.attr_type: range_value}
        return key


def _identity(table, key):
    return table, tuple(sorted((name, tuple(value.items())[0]) for name, value in key.items()))


def _request_items(reads):
    items = {}
    for read in reads:
        entry = items.setdefault(read.table(), {"Keys": [], "ConsistentRead": True})
        if read.key() not in entry["Keys"]:
            entry["Keys"].append(read.key())
    return items


def get_many(*reads):
    """The records for `reads` in order (None where absent), in one BatchGetItem (strongly consistent).

    Inside a request that carries an Idempotency-Key, the key's stored reply is read in the same
    call (see `backend.common.idempotency`), so a replay is detected without a round trip of its own.
    """
    wanted = [read for read in reads if read is not None]
    extra = _request_reads()
    everything = wanted + extra
    if not everything:
        return [None for _ in reads]
    if len(everything) > BATCH_GET_LIMIT:
        raise ValueError(f"at most {BATCH_GET_LIMIT} reads in one batch")
    connection = everything[0].model._get_connection().connection
    found = {}
    request = _request_items(everything)
    for _ in range(MAX_UNPROCESSED_RETRIES):
        reply = connection.dispatch("BatchGetItem", {"RequestItems": request})
        for table, items in reply.get("Responses", {}).items():
            for item in items:
                found[(table, _key_of(everything, table, item))] = item
        request = reply.get("UnprocessedKeys") or {}
        if not request:
            break
    else:
        raise RuntimeError("DynamoDB left keys unprocessed after retries")
    records = {id(read): _record(read, found) for read in everything}
    _hand_request_reads(extra, records)
    return [records[id(read)] if read is not None else None for read in reads]


def _key_of(reads, table, item):
    for read in reads:
        if read.table() == table and all(item.get(name) == value for name, value in read.key().items()):
            return _identity(table, read.key())
    return None


def _record(read, found):
    item = found.get((read.table(), _identity(read.table(), read.key())))
    return read.model.from_raw_data(item) if item is not None else None


# Reads the request itself adds to the first batch (today: the Idempotency-Key's stored reply).
def _request_reads():
    if not has_request_context():
        return []
    hooks = request.environ.get(HOOKS) or []
    return [hook.read() for hook in hooks if hook.wants_read()]


def _hand_request_reads(extra, records):
    if not extra:
        return
    for hook in request.environ.get(HOOKS) or []:
        for read in extra:
            if hook.owns(read):
                hook.received(records[id(read)])


def add_request_read(hook):
    """Register an object with wants_read()/read()/owns(read)/received(record) for this request's batches."""
    request.environ.setdefault(HOOKS, []).append(hook)

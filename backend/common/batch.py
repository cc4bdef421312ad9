"""One BatchGetItem for the reads a write needs, across the tables of several domains.

A write is its reads plus one transaction (DESIGN.md). Each owner domain hands out a `Read`
for its record (`waybills.service.read(...)`, `accounts.service.vehicle_read(...)`); the caller
passes them here together and gets the records back in the same order, from one round trip.
Only the owners name their models: a `Read` carries the model class the caller never sees.
"""

from dataclasses import dataclass
from functools import cached_property

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
        """The key as DynamoDB's wire format wants it (worked out once per Read: the hot path asks often)."""
        return self._wire[1]

    @cached_property
    def _wire(self):
        # (identity, key): the identity names the item whatever the order of its key's attributes.
        hash_attr, range_attr = self.model._hash_key_attribute(), self.model._range_key_attribute()
        hash_value, range_value = self.model._serialize_keys(self.hash_key, self.range_key)
        key = {hash_attr.attr_name: {hash_attr.attr_type: hash_value}}
        if range_attr is not None:
            key[range_attr.attr_name] = {range_attr.attr_type: range_value}
        return _identity(self.table(), key), key


def _identity(table, key):
    return table, tuple(sorted((name, tuple(value.items())[0]) for name, value in key.items()))


def _request_items(reads):
    items, asked = {}, set()
    for read in reads:
        identity, key = read._wire
        if identity not in asked:  # two owners may name the same item (the caller is also the driver)
            asked.add(identity)
            items.setdefault(identity[0], {"Keys": [], "ConsistentRead": True})["Keys"].append(key)
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
    key_names = {read.table(): tuple(read.key()) for read in everything}
    found = {}
    request = _request_items(everything)
    for _ in range(MAX_UNPROCESSED_RETRIES):
        # No ConsumedCapacity (PynamoDB asks for TOTAL unless told): nothing reads it, and the store works it out.
        reply = connection.dispatch("BatchGetItem", {"RequestItems": request, "ReturnConsumedCapacity": "NONE"})
        for table, items in reply.get("Responses", {}).items():
            for item in items:
                found[_identity(table, {name: item[name] for name in key_names[table]})] = item
        request = reply.get("UnprocessedKeys") or {}
        if not request:
            break
    else:
        raise RuntimeError("DynamoDB left keys unprocessed after retries")
    records = {}  # one model object per item, however many reads name it
    for read in everything:
        identity = read._wire[0]
        if identity not in records:
            item = found.get(identity)
            records[identity] = read.model.from_raw_data(item) if item is not None else None
    _hand_request_reads(extra, records)
    return [records[read._wire[0]] if read is not None else None for read in reads]


def get_all(*reads):
    """`get_many` for any number of reads: one BatchGetItem per 99 of them (a page's people and companies are
    one call; a hall page of 100 rows may take two). Room is kept in each for a read the request adds."""
    chunk = BATCH_GET_LIMIT - 1
    records = []
    for start in range(0, len(reads), chunk):
        records += get_many(*reads[start : start + chunk])
    return records


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
                hook.received(records[read._wire[0]])


def add_request_read(hook):
    """Register an object with wants_read()/read()/owns(read)/received(record) for this request's batches."""
    request.environ.setdefault(HOOKS, []).append(hook)

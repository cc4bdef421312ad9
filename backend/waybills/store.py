"""Waybill reads and the one conditional transaction that moves a waybill between states."""

from types import SimpleNamespace

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.common import store as common_store
from backend.common import transactions
from backend.common.batch import Read
from backend.common.models import UniqueClaim
from backend.common.transactions import StepRecorder, TxOp  # noqa: F401  (TxOp re-exported for old callers)
from backend.waybills.models import HALL_FIELDS, HALL_SCOPE, Waybill, WaybillEvent, derived_keys

HALL_PAGE = 300  # loads a hall read considers; the items are small (the hall indexes project only what it shows)


# DynamoDB's answers when another transaction touched the same items at the same moment: try again.
RACE_CODES = {"TransactionConflictException", "TransactionInProgressException"}


class VersionConflict(Exception):
    """The waybill changed between read and write."""


def get(waybill_id, consistent=True):
    try:
        return Waybill.get(waybill_id, consistent_read=consistent)
    except DoesNotExist:
        return None


def read(waybill_id):
    """A batch read of one waybill (backend.common.batch)."""
    return Read(Waybill, waybill_id)


def active_value(driver_id, kind="driver"):
    """The claim item's key: one active waybill per driver ("active#…") and per truck ("active_vehicle#…")."""
    return f"active#{driver_id}" if kind == "driver" else f"active_vehicle#{driver_id}"


def claim_active_op(holder_id, waybill_id, *, kind="driver"):
    """A step: the driver (or truck) holds no other active waybill (fails if the claim exists)."""
    return common_store.unique_claim_op(active_value(holder_id, kind), waybill_id)


def release_active_op(holder_id, waybill_id, *, kind="driver"):
    """A step freeing the driver (or truck) when this waybill stops being theirs (a no-op when no claim is left)."""
    condition = (UniqueClaim.owner_id == waybill_id) | UniqueClaim.value.does_not_exist()
    return lambda tx: tx.delete(UniqueClaim(active_value(holder_id, kind)), condition=condition)


def active_owner(holder_id, kind="driver"):
    """The waybill id the driver's (or truck's) claim names, or None."""
    return common_store.unique_owner(active_value(holder_id, kind))


def active_claim_read(holder_id, kind="driver"):
    """The driver's (or truck's) claim item as a batch read: its `owner_id` names the active waybill."""
    return Read(UniqueClaim, active_value(holder_id, kind))


def drop_claim(holder_id, waybill_id, kind="driver"):
    """Delete the driver's (or truck's) claim only if it still names `waybill_id` (a stale one)."""
    try:
        with db.transaction() as tx:
            common_store.unique_release_op(active_value(holder_id, kind), waybill_id)(tx)
    except TransactWriteError:
        pass


def create(waybill):
    """Insert a new waybill at version 0."""
    waybill.save(condition=Waybill.waybill_id.does_not_exist())
    return waybill


def create_op(waybill):
    """A transaction step inserting a new waybill (orders create many in one transaction)."""
    return lambda tx: tx.save(waybill, condition=Waybill.waybill_id.does_not_exist())


def _set_actions(changes):
    actions = []
    for name, value in changes.items():
        attribute = getattr(Waybill, name)
        actions.append(attribute.remove() if value is None else attribute.set(value))
    return actions


def _derived_actions(to_state, at, changes):
    """The index keys computed from state, time and hall membership (models.derived_keys) follow the change."""
    derived = derived_keys(to_state, at, changes.get("hall_mine_id"))
    actions = [Waybill.state_at.set(derived["state_at"])]
    if "hall_mine_id" in changes:
        scope = derived["hall_scope"]
        actions.append(Waybill.hall_scope.set(scope) if scope else Waybill.hall_scope.remove())
    return actions


def apply_transition(waybill, *, action, to_state, event, changes, extra_ops, token=None, reply=None):
    """Move state and bump version only if nobody else did first; history and extra steps in the same transaction.

    The request's own steps (its Idempotency-Key record, with the reply `reply(after)` or the
    waybill as it will be) go in the same transaction, so the write costs one round trip.
    """
    after = _applied(
        Waybill.from_raw_data(waybill.serialize(null_check=False)), to_state=to_state, at=event.at, changes=changes
    )
    request_ops = transactions.request_ops(reply(after) if reply else after)
    actions = (
        [Waybill.state.set(to_state), Waybill.version.set(waybill.version + 1), Waybill.updated_at.set(event.at)]
        + _set_actions(changes)
        + _derived_actions(to_state, event.at, changes)
    )
    condition = (Waybill.state == waybill.state) & (Waybill.version == waybill.version)
    recorder = None
    try:
        with db.transaction(client_request_token=token) as tx:
            recorder = StepRecorder(tx)  # items go out checks/deletes/puts/updates, not in this order
            recorder.step = "waybill"
            recorder.update(waybill, actions=actions, condition=condition)
            recorder.step = "event"
            recorder.save(event, condition=WaybillEvent.version.does_not_exist())
            for index, op in enumerate(extra_ops):
                recorder.step = index
                op.apply(recorder)
            recorder.step = "request"
            for op in request_ops:
                op(recorder)
    except TransactWriteError as error:
        failed = recorder.failed_steps(error) if recorder else []
        conflicts = recorder.failed_steps(error, "TransactionConflict") if recorder else []
        if "request" in failed:
            transactions.request_step_failed()
        if failed and "waybill" not in failed and "event" not in failed:
            raise transactions.StepFailed(extra_ops[failed[0]]) from error
        if failed or conflicts or getattr(error, "cause_response_code", None) in RACE_CODES:
            raise VersionConflict() from error
        # No verdict (throttled, failing or unreachable after botocore's retries; maybe even committed with
        # the reply lost): never guess. The error becomes a 503 and the client's resend with the same
        # Idempotency-Key finds the committed reply, or does the write once.
        raise
    transactions.request_committed()
    return after


def _applied(waybill, *, to_state, at, changes):
    """The waybill as the committed transaction left it, without reading it back."""
    waybill.state, waybill.version, waybill.updated_at = to_state, waybill.version + 1, at
    for name, value in changes.items():
        setattr(waybill, name, value)
    return waybill


def history(waybill_id):
    """Every transition of a waybill, oldest first."""
    return list(WaybillEvent.query(waybill_id, scan_index_forward=True))


_INDEXES = {
    "driver": Waybill.by_driver,
    "carrier": Waybill.by_carrier,
    "shipper": Waybill.by_shipper,
    "buyer": Waybill.by_buyer,
    "mine": Waybill.by_mine,
    "hall": Waybill.hall,
    "vehicle": Waybill.by_vehicle,
}
_STATE_INDEXES = {
    "driver": Waybill.driver_state,
    "carrier": Waybill.carrier_state,
    "shipper": Waybill.shipper_state,
    "buyer": Waybill.buyer_state,
    "mine": Waybill.mine_state,
}


def list_by(party, key, *, limit, last_evaluated_key, state=None, newest_first=True):
    """One page of waybills through the index for a party (driver, carrier, shipper, buyer, mine, hall, vehicle).

    A state is a key condition on the party's state index (never a filter over its history); keys-only
    indexes give the page's keys and one BatchGet reads those items.
    """
    if state and party in _STATE_INDEXES:
        index, condition, filter_condition = _STATE_INDEXES[party], Waybill.state_at.startswith(f"{state}#"), None
    else:
        index, condition = _INDEXES[party], None
        filter_condition = (Waybill.state == state) if state else None  # hall / vehicle: a handful of items
    query = lambda **kw: index.query(
        key,
        condition,
        filter_condition=filter_condition,  # noqa: E731
        scan_index_forward=not newest_first,
        **kw,
    )
    items, lek = common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)
    if index.Meta.projection.projection_type == "KEYS_ONLY":
        items = _whole(items)
    return items, lek


def _whole(keys):
    """The items behind a page of index keys, in the page's order (one BatchGet of up to 100 keys)."""
    ids = [k.waybill_id for k in keys]
    found = {w.waybill_id: w for w in Waybill.batch_get(ids)} if ids else {}
    return [found[i] for i in ids if i in found]


def hall_loads(mine_id=None, *, product_id=None, min_freight_fen_per_t=None, cap=HALL_PAGE):
    """Open hall loads, oldest first: ONE Query (one page of at most `cap`) of the sparse hall indexes.

    With a mine it reads that mine's partition of `hall`; without, the whole hall (`hall_all`) — one
    round trip however many mines there are. Filters apply to that page only, so a page that filters
    out most of its loads shows fewer rather than reading further.
    """
    condition = Waybill.state == "open"
    if product_id:
        condition &= Waybill.product_id == product_id
    if min_freight_fen_per_t:
        condition &= Waybill.freight_fen_per_t >= min_freight_fen_per_t
    index, key = (Waybill.hall, mine_id) if mine_id else (Waybill.hall_all, HALL_SCOPE)
    page = next(index.query(key, filter_condition=condition, page_size=cap).page_iter)
    return [_hall_row(item) for item in page.get("Items", [])]


# A hall row is read from the index's raw item, attribute by attribute: building a whole PynamoDB model costs
# ~0.6 ms an item (defaults and descriptors for every attribute), which was most of a hall read's CPU.
_HALL_NAMES = ("waybill_id", "mine_id", "hall_mine_id", "created_at", *HALL_FIELDS)
_BY_STORED_NAME = {attribute.attr_name: (name, attribute) for name, attribute in Waybill.get_attributes().items()}


def _hall_row(item):
    """One open load as the hall reads it: the projected attributes by name (absent ones None)."""
    row = dict.fromkeys(_HALL_NAMES)
    for stored_name, raw in item.items():
        name, attribute = _BY_STORED_NAME.get(stored_name, (None, None))
        if attribute is not None and attribute.attr_type in raw:
            row[name] = attribute.deserialize(raw[attribute.attr_type])
    return SimpleNamespace(**row)


def newest_for_vehicle(vehicle_id, *, since_ms, limit):
    """A truck's newest waybills touched since a time, no filter (a filter would read history page by page)."""
    return list(
        Waybill.by_vehicle.query(
            vehicle_id, Waybill.updated_at >= since_ms, scan_index_forward=False, limit=limit, page_size=limit
        )
    )


def vehicle_waybills_at_mine(*, mine_id, vehicle_id, plate, states, since_ms, limit=5):
    """A truck's waybills at a mine in some states, touched since a time, newest first (Query by_vehicle).

    A truck has a handful of waybills a week, so the key range bounds the read; `limit` bounds the answer.
    """
    condition = (Waybill.mine_id == mine_id) & (Waybill.plate == plate) & Waybill.state.is_in(*states)
    return list(
        Waybill.by_vehicle.query(
            vehicle_id,
            Waybill.updated_at >= since_ms,
            filter_condition=condition,
            scan_index_forward=False,
            page_size=50,
            limit=limit,
        )
    )

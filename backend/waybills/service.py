"""Moving waybills through the state machine and showing them to the parties who may see them."""

from backend import events
from backend.common import batch
from backend.common.errors import ApiError, Conflict, NotFound
from backend.common.recent_refusals import registry
from backend.common.transactions import StepFailed, TxOp  # noqa: F401  (TxOp re-exported for other domains)
from backend.waybills import claims, store
from backend.waybills.models import Waybill, WaybillEvent
from backend.waybills.transitions import ACTIVE_STATES, IllegalTransition, target_state

MAX_ATTEMPTS = 5

# Loads a read or a lost race just showed out of the order hall (common/recent_refusals.py): the grabs
# that arrive after a load is won are refused from this note. A move back into the hall forgets it.
OUT_OF_HALL = registry("loads out of the hall")


def known_out_of_hall(waybill_id):
    return OUT_OF_HALL.known(waybill_id)


def note_out_of_hall(waybill_id):
    OUT_OF_HALL.note(waybill_id)


class SystemActor:
    """The actor recorded for scheduled jobs and device-driven transitions."""

    def __init__(self, name, role="system"):
        self.user_id = name
        self.role = role
        self.org_id = None
        self.mine_id = None


def get(waybill_id):
    """A waybill or 404."""
    return found(store.get(waybill_id))


def find(waybill_id):
    """A waybill or None (for callers that decide themselves what a missing one means)."""
    return store.get(waybill_id)


def read(waybill_id):
    """The waybill's read for a batch (`backend.common.batch.get_many`); pass the record to `found`."""
    return store.read(waybill_id)


def found(waybill):
    """The record from a batch, or 404."""
    if waybill is None:
        raise NotFound("waybill_not_found", "waybill not found")
    return waybill


def can_see(principal, waybill):
    """Tenancy: the parties of a waybill, its mine's gate staff and the dispatch centre."""
    role = principal.role
    if role in ("dispatcher", "admin"):
        return True
    return {
        "driver": waybill.driver_id == principal.user_id,
        "buyer": waybill.buyer_id == principal.user_id,
        "carrier": bool(principal.org_id) and waybill.carrier_id == principal.org_id,
        "shipper": bool(principal.org_id) and waybill.shipper_id == principal.org_id,
        "gate": bool(principal.mine_id) and waybill.mine_id == principal.mine_id,
    }.get(role, False)


def get_visible(principal, waybill_id):
    """A waybill the principal may see; 404 (not 403) so ids of others' loads leak nothing."""
    waybill = get(waybill_id)
    if not can_see(principal, waybill):
        raise NotFound("waybill_not_found", "waybill not found")
    return waybill


def illegal(action, state):
    return Conflict(
        "illegal_transition", f"cannot {action} a waybill that is {state}", details={"state": state, "action": action}
    )


def transition(
    *,
    waybill_id,
    action,
    actor,
    now_ms,
    where=None,
    reason=None,
    changes=None,
    extra_ops=(),
    guard=None,
    waybill=None,
    reply=None,
):
    """Apply one action as a conditional write on state and version, retrying if someone else moved first.

    `changes` sets (or, with None, removes) waybill attributes in the same write (a dict, or a
    function of the freshly read waybill returning one); `extra_ops` are other domains' steps
    (a list, or a function of the waybill, called after `changes`); `guard(waybill)` re-checks the
    caller's preconditions on each attempt and raises if they no longer hold. `waybill` is the
    record when the caller has just read it (its batch), saving the first read. `reply(waybill)` is
    what the request answers, kept with its Idempotency-Key by the same transaction.
    The driver's and the truck's one-active-waybill claims follow the move here (waybills/claims.py), so no
    caller can forget them.
    """
    recovered = set()
    for attempt in range(MAX_ATTEMPTS):
        if waybill is None or attempt:
            waybill = get(waybill_id)
        if guard:  # the caller's preconditions first: they decide what a refusal may reveal
            guard(waybill)
        try:
            to_state = target_state(action, waybill.state, waybill.held_from)
        except IllegalTransition:
            raise illegal(action, waybill.state) from None
        event = WaybillEvent(
            waybill_id,
            version=waybill.version + 1,
            action=action,
            from_state=waybill.state,
            to_state=to_state,
            actor_id=actor.user_id,
            actor_role=actor.role,
            at=now_ms,
            where=where,
            reason=reason,
        )
        fields = changes(waybill) if callable(changes) else dict(changes or {})
        into_hall = bool(fields.get("hall_mine_id"))
        if into_hall:
            OUT_OF_HALL.forget(waybill_id)
        steps = extra_ops(waybill) if callable(extra_ops) else list(extra_ops)
        steps = claims.claim_steps(waybill, to_state, fields) + steps
        steps += events.steps(  # the webhook outbox rides in this write: no event lost, no extra round trip
            "waybill_moving", waybill=waybill, action=action, version=event.version, changes=fields, now_ms=now_ms
        )
        if action in ("hold", "unhold"):  # the truck's place in the mine's queue follows in the same write
            steps += events.steps("waybill_holding", waybill=waybill, action=action, now_ms=now_ms)
        try:
            moved = store.apply_transition(
                waybill, action=action, to_state=to_state, event=event, changes=fields, extra_ops=steps, reply=reply
            )
        except store.VersionConflict:
            continue
        except StepFailed as failure:
            if id(failure.op.recover) in recovered or not (failure.op.recover and failure.op.recover()):
                raise failure.op.error from None
            recovered.add(id(failure.op.recover))
            continue
        if into_hall:  # a grab that noted it gone while this write was in flight must not keep it out
            OUT_OF_HALL.forget(waybill_id)
        events.publish("waybill_moved", waybill=moved, action=action, actor=actor, reason=reason, now_ms=now_ms)
        return moved
    raise ApiError("busy", "the waybill is changing too fast; try again", status=409)


def fresh_transition(*, waybill_id, action, actor, now_ms, build, reason=None, where=None, waybill=None):
    """A transition whose changes and extra steps depend on the waybill as read (rebuilt on every attempt).

    `build(waybill)` returns (changes, extra_ops, guard); the transition re-reads the waybill on a
    conflict and builds again, so steps never go out against a stale version.
    """
    built = {}

    def changes(waybill):
        built["changes"], built["ops"], check = build(waybill)
        if check:
            check(waybill)
        return built["changes"]

    return transition(
        waybill_id=waybill_id,
        action=action,
        actor=actor,
        now_ms=now_ms,
        reason=reason,
        where=where,
        changes=changes,
        extra_ops=lambda _waybill: built["ops"],
        waybill=waybill,
    )


def hold(*, waybill_id, reason, actor, now_ms, where=None):
    """Stop a truck until a person clears it; remembers the state to resume."""
    return transition(
        waybill_id=waybill_id,
        action="hold",
        actor=actor,
        now_ms=now_ms,
        where=where,
        reason=reason,
        changes=lambda w: {"held_from": w.state, "hold_reason": reason},
    )


def unhold(*, waybill_id, reason, actor, now_ms):
    """Lift a hold: back to the state the waybill was held from."""
    return transition(
        waybill_id=waybill_id,
        action="unhold",
        actor=actor,
        now_ms=now_ms,
        reason=reason,
        changes={"held_from": None, "hold_reason": None},
    )


def history(principal, waybill_id):
    """The transitions of a waybill its parties may read."""
    get_visible(principal, waybill_id)
    return store.history(waybill_id)


def list_by(party, key, *, limit, last_evaluated_key, state=None, newest_first=True):
    """One page of a party's waybills (driver, carrier, shipper, buyer, mine, hall, vehicle), newest first."""
    return store.list_by(
        party, key, limit=limit, last_evaluated_key=last_evaluated_key, state=state, newest_first=newest_first
    )


def hall_loads(mine_id=None, *, product_id=None, min_freight_fen_per_t=None):
    """Open loads in the order hall (one page of one Query), at one mine or everywhere, oldest first."""
    return store.hall_loads(mine_id, product_id=product_id, min_freight_fen_per_t=min_freight_fen_per_t)


def active_claim_read(holder_id, kind="driver"):
    """A batch read of the driver's (kind="vehicle": the truck's) one-active claim; pass the item to `claimed_by`."""
    return store.active_claim_read(holder_id, kind)


def claimed_by(claim):
    """The waybill id a claim item read in a batch names, or None when the holder is free."""
    return claim.owner_id if claim is not None else None


def busy_elsewhere(claim, *, holder_id, kind, waybill_id=None):
    """The other active waybill a claim read in a batch holds the driver or truck on, or None when free.

    A claim naming a finished waybill (data from before claims were released) is not trusted: that
    waybill is read once (the busy path only) and the stale claim dropped, so a free truck is never refused.
    """
    owner = claimed_by(claim)
    if owner is None or owner == waybill_id:
        return None
    return claims.held_on(holder_id, owner, kind)


def busy_holders(holder_ids, kind="vehicle"):
    """{holder id: its active waybill} for those of the drivers or trucks (at most 100) on an active load.

    Two batch reads at most, whatever their history: the claims, then the waybills they name (a claim
    naming a finished waybill, left by older data, does not make its holder busy).
    """
    ids = list(dict.fromkeys(holder_ids))
    if not ids:
        return {}
    owners = {h: claimed_by(c) for h, c in zip(ids, batch.get_many(*(active_claim_read(h, kind) for h in ids)))}
    owners = {h: owner for h, owner in owners.items() if owner}
    if not owners:
        return {}
    attribute = claims.HOLDERS[kind][0]
    named = batch.get_many(*(store.read(owner) for owner in owners.values()))
    return {
        h: w
        for (h, _), w in zip(owners.items(), named)
        if w is not None and getattr(w, attribute) == h and w.state in ACTIVE_STATES
    }


def busy_error(kind, waybill_id):
    """The 409 a grab or an assignment gets when the driver or truck is already on another active load."""
    return claims.HOLDERS[kind][1](waybill_id)


def find_active_for_driver(driver_id):
    """The waybill the driver's one-active claim names (two GetItems whatever their history), or None.

    A claim left by older data may name a finished waybill: callers check the state they need.
    """
    waybill_id = store.active_owner(driver_id)
    waybill = store.get(waybill_id) if waybill_id else None
    return waybill if waybill is not None and waybill.driver_id == driver_id else None


def newest_for_vehicle(vehicle_id, *, since_ms, limit):
    """A truck's newest waybills touched since a time (by_vehicle, no filter: the key range bounds it)."""
    return store.newest_for_vehicle(vehicle_id, since_ms=since_ms, limit=limit)


def vehicle_waybills_at_mine(*, mine_id, vehicle_id, plate, states, since_ms, limit=5):
    """A truck's waybills at a mine in some states, touched since a time, newest first (the gate's lookup)."""
    return store.vehicle_waybills_at_mine(
        mine_id=mine_id, vehicle_id=vehicle_id, plate=plate, states=states, since_ms=since_ms, limit=limit
    )


def new_waybill(waybill_id, **fields):
    """A waybill record at version 0, not yet saved (orders build them; `create_step` inserts them)."""
    return Waybill(waybill_id, **fields)


def create_step(waybill):
    """A transaction step inserting a new waybill (orders create many in one transaction)."""
    return store.create_op(waybill)


def list_for(principal, *, limit, last_evaluated_key, state=None):
    """The signed-in party's own waybills, newest first."""
    party, key = {
        "driver": ("driver", principal.user_id),
        "buyer": ("buyer", principal.user_id),
        "carrier": ("carrier", principal.org_id),
        "shipper": ("shipper", principal.org_id),
        "gate": ("mine", principal.mine_id),
    }.get(principal.role, (None, None))
    if not key:
        raise ApiError("forbidden_role", "no waybill list for this role", status=403)
    return store.list_by(party, key, limit=limit, last_evaluated_key=last_evaluated_key, state=state)

"""The queue log: every sub-package appends who changed a mine's queue to the day's hash chain; staff read it,
a driver checks their own place in it, anyone signed in reads the published head."""

from backend.appointments.common import require_mine
from backend.appointments.log import chain, store
from backend.common.clock import shanghai_date
from backend.common.errors import field_error

DAY_MS = 86_400_000


def _fields(*, mine_id, action, actor, at, booking=None, reason=None, detail=None, slot=None):
    return {
        "mine_id": mine_id,
        "at": at,
        "action": action,
        "booking_id": booking.booking_id if booking else None,
        "waybill_id": booking.waybill_id if booking else (detail or {}).get("waybill_id"),
        "slot_id": slot or (booking.slot_id if booking else None),
        "driver_id": booking.driver_id if booking else None,
        "actor_id": actor.user_id,
        "actor_role": actor.role,
        "reason": reason,
        "detail": detail,
    }


def day_chain(mine_id, at):
    """The chain an event at `at` belongs to: the mine's Asia/Shanghai calendar day."""
    return chain.chain_id(mine_id, shanghai_date(at))


def record(**event):
    """Append one event on its own (pending entries first, a head read and one transaction)."""
    chain_id = day_chain(event["mine_id"], event["at"])
    tip, _ = store.sealed_tip(chain_id)
    return store.append(chain_id, _fields(**event), tip=tip)


def pending_step(**event):
    """The event as a step of a hot write's own transaction (a booking): written pending, no head read and no
    contention on the head; the next append or read of the day's chain seals it in time order."""
    return store.pending_op(day_chain(event["mine_id"], event["at"]), _fields(**event))


def step_reading(**event):
    """The append as a step of the caller's transaction: pending entries sealed first, then the head read."""
    chain_id = day_chain(event["mine_id"], event["at"])
    tip, _ = store.sealed_tip(chain_id)
    return store.append_op(tip, _fields(**event), [])


def seal_day(mine_id, at):
    """Chain the day's pending entries (the scheduled tick and every read of the chain do)."""
    return store.seal(day_chain(mine_id, at))


def _day(date, now_ms):
    """The day asked for (the schema checked its shape), or today in Asia/Shanghai."""
    return date or shanghai_date(now_ms)


def mine_events(*, principal, mine_id, limit, last_evaluated_key, now_ms, date=None):
    """A day's queue changes (calls, skips, overrides, closures): who, when, why; newest first."""
    require_mine(principal, mine_id)
    if limit < 1:
        raise field_error("limit", "at least 1")
    chain_id = chain.chain_id(mine_id, _day(date, now_ms))
    if last_evaluated_key is None:  # the first page: chain what is still pending
        store.seal(chain_id)
    return store.events_page(chain_id, limit=limit, last_evaluated_key=last_evaluated_key)


def published_head(*, mine_id, now_ms, date=None):
    """The day's head hash as published in the app: anyone can compare it with a copy of the chain."""
    chain_id = chain.chain_id(mine_id, _day(date, now_ms))
    store.seal(chain_id)
    head = store.get_head(chain_id)
    return {"chain_id": chain_id, "seq": int(head.seq) if head else 0, "hash": head.hash if head else chain.GENESIS}


def as_dicts(entries):
    return [e.attribute_values for e in entries]


def verify_day(mine_id, day):
    """(entries, head, problems) of a mine's day chain."""
    chain_id = chain.chain_id(mine_id, day)
    store.seal(chain_id)  # events still pending belong to the day: chain them before checking
    entries = as_dicts(store.chain_entries(chain_id))
    head = store.get_head(chain_id)
    head_pair = (int(head.seq), head.hash) if head else (0, None)
    return entries, head_pair, chain.verify(entries, head=head_pair)


def booking_audit(booking, *, now_ms):
    """A driver's own events, the chains' state, and every truck placed ahead with its reason.

    Events are chained on the day they happen: the booking on the day it was made, the check-in and the calls
    around the window, which near midnight may be the day before the window's. So the chains read are the
    window's day's and, where different, the booking's and the check-in's (two or three, never a range)."""
    day = shanghai_date(booking.slot_start_ms)
    waited_from = shanghai_date(booking.checked_in_at) if booking.checked_in_at else day
    entries, problems, heads = [], [], {}
    for each in sorted({shanghai_date(booking.created_at), waited_from, day}):
        day_entries, heads[each], day_problems = verify_day(booking.mine_id, each)
        entries += day_entries  # in time order: days ascending, each chain in its own order
        problems += day_problems
    ahead = chain.placed_ahead(entries, booking_id=booking.booking_id)  # from the driver's check-in on
    head = heads[day]
    return {
        "chain_id": chain.chain_id(booking.mine_id, day),
        "day": day,
        "head_seq": head[0],
        "head_hash": head[1] or chain.GENESIS,
        "intact": not problems,
        "problems": problems,
        "mine": [_public(e) for e in entries if e.get("booking_id") == booking.booking_id],
        "placed_ahead": [_public(e) for e in ahead],
        "unexplained": sum(1 for e in ahead if not (e.get("reason") or "").strip()),
    }


def _public(entry):
    """An entry as a driver may see it: others' trucks are anonymous, the hash lets them check the chain."""
    keep = ("seq", "at", "action", "actor_role", "reason", "hash", "prev_hash", "slot_id")
    return {k: entry.get(k) for k in keep}

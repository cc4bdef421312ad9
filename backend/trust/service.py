"""Trust verbs: record contributing events, a party's explained standing, suspension, policy and the hall gates."""

import logging

from backend.auth import service as auth_service
from backend.common.clock import shanghai_date
from backend.common.errors import ApiError, Conflict, Forbidden, NotFound, field_error
from backend.config import setting
from backend.trust import scoring, store, weights

log = logging.getLogger("coalhaul.trust")
DAY_MS = 86_400_000
WINDOW_MS = weights.WINDOW_DAYS * DAY_MS
PARTY_ROLES = ("driver", "carrier", "shipper", "buyer")
GRADE_RANKS = {grade: weights.rank(grade) for grade, _ in weights.GRADES}
AlreadyRecorded = store.AlreadyRecorded


def party_of(principal):
    """(party id, role) of the signed-in user: a driver or buyer is a person, a carrier or shipper a company."""
    if principal.role in ("driver", "buyer"):
        return principal.user_id, principal.role
    if principal.role in ("carrier", "shipper") and principal.org_id:
        return principal.org_id, principal.role
    if principal.role == "gate" and principal.mine_id:
        return principal.mine_id, "mine"
    raise Forbidden("no_trust_party", "this account has no credit record")


# ---- recording ----------------------------------------------------------------------------------------------


def event_record(*, party_id, role, signal, source_id, at, waybill_id=None, note=None, count=1):
    """A TrustEvent for a signal from one source fact (its id makes a replay a no-op)."""
    from backend.trust.models import TrustEvent

    if signal not in weights.BY_NAME:
        raise ValueError(f"unknown signal {signal}")
    return TrustEvent(
        party_id,
        f"{signal}:{source_id}",
        role=role,
        signal=signal,
        count=count,
        at=at,
        day=shanghai_date(at),
        waybill_id=waybill_id,
        note=note,
    )


def record_steps(events, *, once=True):
    """Steps putting the events and adding them to each party's day and window counters (one op per item)."""
    ops, per_party = [], {}
    for event in events:
        ops.append(store.event_op(event, once=once))
        key = (event.party_id, event.role, event.day)
        per_party.setdefault(key, {}).setdefault(event.signal, 0)
        per_party[key][event.signal] += event.count
    for (party_id, role, day), deltas in per_party.items():
        ops += store.counter_ops(party_id=party_id, role=role, day=day, deltas=deltas)
    return ops


def record(events, extra_steps=()):
    """Commit the events (and any extra steps) in one transaction; False when they were recorded before."""
    if not events:
        return False
    try:
        store.run(record_steps(events) + list(extra_steps))
    except AlreadyRecorded:
        log.info("trust events already recorded: %s", [e.event_id for e in events])
        return False
    return True


# ---- reading ------------------------------------------------------------------------------------------------


def counts_of(standing):
    """The window counters of a Standing (zeros when the party has none yet)."""
    return {name: int(getattr(standing, name, None) or 0) for name in weights.COUNTERS} if standing else {}


def standing_read(party_id):
    """The party's standing for a batch read (`common.batch.get_many`)."""
    return store.standing_read(party_id)


def live_grade(standing, role="driver"):
    """The grade the counters give now (None: fewer than 10 loads)."""
    return scoring.summary(counts_of(standing), role)["grade"]


def deposit_rule(grade=None):
    """The deposit (保证金) on grab for low grades: configured, and active only with an amount and the ledger."""
    grades = [g.strip() for g in setting("TRUST_DEPOSIT_GRADES").split(",") if g.strip()]
    amount = setting("TRUST_DEPOSIT_FEN")
    return {
        "active": bool(amount and grades),  # taken inside the grab's transaction (trust/deposit.py)
        "configured": bool(amount and grades),
        "amount_fen": amount,
        "grades": grades,
        "applies": (grade or weights.UNGRADED_AS) in grades,
    }


def view(standing, *, party_id, role):
    """A party's standing as the party (or the dispatcher) reads it: score, grade, the breakdown and effects."""
    summary = scoring.summary(counts_of(standing), role)
    return dict(
        summary,
        party_id=party_id,
        role=role,
        window_days=weights.WINDOW_DAYS,
        graded_after_loads=weights.GRADED_AFTER_LOADS,
        suspended=bool(standing and standing.suspended_reason),
        suspended_reason=standing.suspended_reason if standing else None,
        min_driver_grade=standing.min_driver_grade if standing else None,
        snapshot={"score": standing.score, "grade": standing.grade, "at": standing.computed_at} if standing else None,
        deposit=deposit_rule(summary["grade"]) if role == "driver" else None,
    )


def my_standing(*, principal):
    """The caller's own score with its explanation."""
    party_id, role = party_of(principal)
    return view(store.get_standing(party_id), party_id=party_id, role=role)


def summary_view(standing, *, party_id, role):
    """What another party may see: the grade, score, loads and aggregated ratings, never the events."""
    full = view(standing, party_id=party_id, role=role)
    keep = ("party_id", "role", "score", "grade", "loads", "ratings", "suspended")
    return {k: full[k] for k in keep}


def grades(*, principal, party_ids, role):
    """Grades of several carriers (or drivers) in one read: what a shipper sees when entrusting."""
    if len(party_ids) > 50:
        raise field_error("party_ids", "at most 50")
    found = store.get_standings(party_ids)
    return [summary_view(found.get(pid), party_id=pid, role=role) for pid in party_ids]


def events_visible(principal, party_id):
    """Tenancy of an explanation: the party itself, its carrier for a driver of its fleet, or the dispatcher."""
    if principal.role in ("dispatcher", "admin"):
        return True
    try:
        own, _ = party_of(principal)
    except ApiError:
        return False
    if own == party_id:
        return True
    if principal.role == "carrier":
        user = auth_service.get_user(party_id)
        return bool(user and user.role == "driver" and user.org_id == principal.org_id)
    return False


def party_standing(*, principal, party_id):
    """A party's explained standing for itself, its carrier (a fleet driver) or dispatch; 404 for anyone else."""
    if not events_visible(principal, party_id):
        raise NotFound("party_not_found", "party not found")
    standing = store.get_standing(party_id)
    role = (standing.role if standing else None) or "driver"
    return view(standing, party_id=party_id, role=role)


def _shown(event, *, rated_view):
    # A rating event names its load only to dispatch: the load would tell the rated party who rated it.
    hide = rated_view and event.signal.startswith("rating_")
    signal = weights.BY_NAME[event.signal]
    return {
        "event_id": event.event_id,
        "signal": event.signal,
        "count": event.count,
        "points_each": signal.points,
        "day": event.day,
        "at": None if hide else event.at,
        "waybill_id": None if hide else event.waybill_id,
        "note": None if hide else event.note,
        "status": event.status,
        "appeal_id": event.appeal_id,
    }


def events(*, principal, party_id, now_ms, limit, last_evaluated_key):
    """The party's contributing events in the window, newest first, each with its weight."""
    if not events_visible(principal, party_id):
        raise NotFound("party_not_found", "party not found")
    items, lek = store.events_page(
        party_id, since_ms=now_ms - WINDOW_MS, limit=limit, last_evaluated_key=last_evaluated_key
    )
    rated_view = principal.role not in ("dispatcher", "admin")
    return [_shown(e, rated_view=rated_view) for e in items], lek


def weights_table():
    """The one table of weights, as the PWA shows it."""
    return {
        "base": weights.BASE,
        "window_days": weights.WINDOW_DAYS,
        "graded_after_loads": weights.GRADED_AFTER_LOADS,
        "grades": [{"grade": g, "from": floor} for g, floor in weights.GRADES],
        "signals": [
            {
                "signal": s.name,
                "roles": list(s.roles),
                "points": s.points,
                "cap": s.cap,
                "source": s.source,
                "wired": s.wired,
            }
            for s in weights.SIGNALS
        ],
    }


# ---- suspension and policy ----------------------------------------------------------------------------------


def set_suspension(*, principal, party_id, suspended, reason, now_ms):
    """Dispatch suspends a party (out of the hall and dispatch) or lifts it after review."""
    if suspended and not (reason or "").strip():
        raise field_error("reason", "say why")
    standing = store.get_standing(party_id)
    role = standing.role if standing else None
    store.set_suspension(
        party_id, role=role, reason=reason.strip() if suspended else None, by=principal.user_id, now_ms=now_ms
    )
    after = store.get_standing(party_id)
    return view(after, party_id=party_id, role=(after.role if after else None) or "driver")


def set_policy(*, principal, min_driver_grade):
    """A shipper's (buyer's) minimum driver grade for its hall loads (None: anyone)."""
    party_id, role = party_of(principal)
    if role not in ("shipper", "buyer"):
        raise Forbidden("forbidden_role", "only shippers and buyers set a driver grade")
    if min_driver_grade is not None and min_driver_grade not in GRADE_RANKS:
        raise field_error("min_driver_grade", f"one of {', '.join(GRADE_RANKS)}")
    store.set_policy(party_id, role=role, min_driver_grade=min_driver_grade)
    return my_standing(principal=principal)


def suspended_error(standing):
    return ApiError(
        "party_suspended",
        f"suspended pending review: {standing.suspended_reason if standing else ''}",
        status=403,
        details={"reason": standing.suspended_reason if standing else None},
    )


def require_not_suspended(standing):
    """Raise 403 party_suspended for a suspended party (its standing read in the caller's batch)."""
    if standing is not None and standing.suspended_reason:
        raise suspended_error(standing)
    return standing


def party_on(waybill, side):
    """The party on one side of a waybill: driver, carrier, shipper, buyer or mine (None when it has none)."""
    return getattr(waybill, f"{side}_id") if side in ("driver", "carrier", "shipper", "buyer", "mine") else None


def deposit_take(waybill, *, driver_standing, driver_id, carrier_id, now_ms):
    """(waybill changes, transaction steps) of the deposit a low grade puts up on a grab (trust/deposit.py)."""
    from backend.trust import deposit  # deposit builds on this module

    return deposit.take(
        waybill, driver_standing=driver_standing, driver_id=driver_id, carrier_id=carrier_id, now_ms=now_ms
    )


def payer_of(waybill):
    """Whose load it is for the hall's grade rule: the shipper company, or the buyer of a retail order."""
    return waybill.shipper_id or waybill.buyer_id


def carrier_steps(carrier_id):
    """A condition check (no read) that the carrier is not suspended, for an assignment's transaction."""
    if not carrier_id:
        return []
    error = ApiError("party_suspended", "the carrier is suspended pending review", status=403)
    return [store.not_suspended_op(carrier_id, error=error)]


def grab_steps(waybill, *, driver_standing, carrier_id):
    """The grab's extra condition checks (no read): carrier not suspended, driver meets the payer's minimum grade."""
    steps = carrier_steps(carrier_id)
    payer = payer_of(waybill)
    if payer:
        rank = weights.rank(live_grade(driver_standing))
        steps.append(
            store.min_grade_check_op(
                payer,
                driver_rank=rank,
                ranks=GRADE_RANKS,
                error=Conflict("grade_too_low", "this shipper asks for a higher driver grade than yours"),
            )
        )
    return steps


class HallGate:
    """The credit gate over one driver's hall page: it hides loads whose payer asks a higher grade and suspended
    payers' loads, and a suspended driver sees none. The hall reads the standings in its own batches
    (`reads`, then `received`), beside the other records it needs; `notice` says what was hidden."""

    def __init__(self, driver_id):
        self.driver_id = driver_id
        self.notice = None
        self._standings, self._asked, self._rank = {}, set(), None

    def reads(self, payer_ids):
        """(party ids, batch reads) of the standings not asked for yet: the driver's own first, then payers'."""
        wanted = [p for p in dict.fromkeys([self.driver_id, *payer_ids]) if p and p not in self._asked]
        self._asked.update(wanted)
        return wanted, [store.standing_read(p) for p in wanted]

    def received(self, party_ids, standings):
        for party_id, standing in zip(party_ids, standings, strict=True):
            if standing is not None:
                self._standings[party_id] = standing
        if self.notice is None:
            me = self._standings.get(self.driver_id)
            grade = live_grade(me)
            self._rank = weights.rank(grade)
            self.notice = {
                "grade": grade,
                "suspended": bool(me and me.suspended_reason),
                "hidden_by_grade": 0,
                "deposit": deposit_rule(grade),
            }

    def shows(self, payer_id):
        """Whether the driver sees a load of this payer (counting one hidden by grade in the notice)."""
        if self.notice["suspended"]:
            return False
        payer = self._standings.get(payer_id) if payer_id else None
        if payer is not None and payer.suspended_reason:
            return False
        if payer is not None and payer.min_driver_grade and GRADE_RANKS[payer.min_driver_grade] > self._rank:
            self.notice["hidden_by_grade"] += 1
            return False
        return True

"""Appeals: a party contests one contributing event; upheld removes it and the score is recomputed at once."""

from backend.common.errors import Conflict, Forbidden, NotFound, field_error
from backend.common.ids import new_id
from backend.trust import scoring, service, store
from backend.trust.models import Appeal

DISPATCH = ("dispatcher", "admin")


def file(*, principal, event_id, reason, now_ms):
    """Contest one of your own events in the window (one appeal per event)."""
    party_id, role = service.party_of(principal)
    if not (reason or "").strip():
        raise field_error("reason", "say why the event is wrong")
    event = store.get_event(party_id, event_id)
    if event is None or event.at < now_ms - service.WINDOW_MS:
        raise NotFound("event_not_found", "no such event in your last 90 days")
    if event.status != "active" or event.appeal_id:
        raise Conflict("already_appealed", "this event was appealed already", details={"appeal_id": event.appeal_id})
    appeal = Appeal(
        new_id("ap"),
        party_id=party_id,
        party_role=role,
        user_id=principal.user_id,
        event_id=event_id,
        signal=event.signal,
        reason=reason.strip(),
        status="pending",
        created_at=now_ms,
    )
    store.run(
        [
            store.save_op(appeal, condition=Appeal.appeal_id.does_not_exist()),
            store.event_status_op(event, status="active", appeal_id=appeal.appeal_id, expect="active"),
        ]
    )
    return appeal


def _visible(principal, appeal):
    if principal.role in DISPATCH:
        return True
    return service.party_of(principal)[0] == appeal.party_id


def get(*, principal, appeal_id):
    appeal = store.get_appeal(appeal_id)
    if appeal is None or not _visible(principal, appeal):
        raise NotFound("appeal_not_found", "appeal not found")
    return appeal


def listing(*, principal, status, limit, last_evaluated_key):
    """Dispatch: the queue by status; a party: its own appeals, newest first."""
    if principal.role in DISPATCH:
        return store.appeals_by_status(status or "pending", limit=limit, last_evaluated_key=last_evaluated_key)
    party_id, _ = service.party_of(principal)
    return store.appeals_by_party(party_id, limit=limit, last_evaluated_key=last_evaluated_key)


def decide(*, principal, appeal_id, upheld, reason, now_ms):
    """Dispatch decides; upheld: the event is removed, its counts come off and the score is recomputed now."""
    if principal.role not in DISPATCH:
        raise Forbidden("forbidden_role", "dispatch decides appeals")
    if not (reason or "").strip():
        raise field_error("reason", "say why")
    appeal = store.get_appeal(appeal_id)
    if appeal is None:
        raise NotFound("appeal_not_found", "appeal not found")
    event = store.get_event(appeal.party_id, appeal.event_id)
    status = "upheld" if upheld else "rejected"
    steps = [store.decide_appeal_op(appeal, status=status, by=principal.user_id, reason=reason.strip(), now_ms=now_ms)]
    if upheld and event is not None and event.status == "active":
        steps.append(store.event_status_op(event, status="removed", expect="active"))
        # A day already dropped from the window was taken off the totals by the job: take nothing off twice.
        if event.at >= now_ms - service.WINDOW_MS:
            steps += store.counter_ops(
                party_id=event.party_id, role=event.role, day=event.day, deltas={event.signal: -event.count}
            )
    store.run(steps)
    if upheld:
        recompute(appeal.party_id, now_ms=now_ms)
    return store.get_appeal(appeal_id)


def recompute(party_id, *, now_ms):
    """Write the score snapshot from the totals as they are now (an upheld appeal does not wait for the night)."""
    standing = store.get_standing(party_id)
    if standing is None:
        return None
    summary = scoring.summary(service.counts_of(standing), standing.role or "driver")
    store.run([store.snapshot_op(party_id, score=summary["score"], grade=summary["grade"], now_ms=now_ms)])
    return summary

"""Trust's only PynamoDB user: counter steps, standings, events, ratings, complaints and appeals."""

from pynamodb.exceptions import DoesNotExist

from backend.common import transactions
from backend.common.batch import Read
from backend.common.errors import Conflict
from backend.common.store import query_page
from backend.common.transactions import TxOp
from backend.trust.models import Appeal, Complaint, PartyDay, Rating, Standing, TrustEvent

CONFLICT_TRIES = 20
BATCH_GET = 100
TX_ITEMS = 100


class AlreadyRecorded(Exception):
    """The event (or rating, appeal) was recorded before: the transaction changed nothing."""


# ---- steps --------------------------------------------------------------------------------------------------


def _adds(model, deltas):
    return [getattr(model, name).add(amount) for name, amount in deltas.items() if amount]


def counter_ops(*, party_id, role, day, deltas):
    """Add `deltas` ({counter: n}) to the party's day and window totals (ADD: no read, no race)."""
    if not any(deltas.values()):
        return []
    day_item, standing = PartyDay(party_id, day), Standing(party_id)
    return [
        TxOp(
            apply=lambda tx: tx.update(day_item, actions=_adds(PartyDay, deltas) + [PartyDay.role.set(role)]),
            error=Conflict("trust_counter_failed", "the day counters were refused"),
        ),
        TxOp(
            apply=lambda tx: tx.update(standing, actions=_adds(Standing, deltas) + [Standing.role.set(role)]),
            error=Conflict("trust_counter_failed", "the party's totals were refused"),
        ),
    ]


def event_op(event, *, once=True):
    """Put a contributing event; `once`: fail (AlreadyRecorded) when its id exists (a replayed fact)."""
    condition = TrustEvent.event_id.does_not_exist() if once else None
    return TxOp(
        apply=lambda tx: tx.save(event, condition=condition),
        error=AlreadyRecorded(),
    )


def event_status_op(event, *, status, appeal_id=None, expect):
    """Mark an event (removed by an upheld appeal, or claimed by a new appeal), only from the state expected."""
    actions = [TrustEvent.status.set(status)]
    if appeal_id:
        actions.append(TrustEvent.appeal_id.set(appeal_id))
    condition = TrustEvent.status == expect
    if expect == "active" and appeal_id:
        condition = condition & TrustEvent.appeal_id.does_not_exist()
    return TxOp(
        apply=lambda tx: tx.update(TrustEvent(event.party_id, event.event_id), actions=actions, condition=condition),
        error=Conflict("event_changed", "this event was appealed or removed meanwhile"),
    )


def delete_event_op(party_id, event_id):
    return TxOp(
        apply=lambda tx: tx.delete(TrustEvent(party_id, event_id)),
        error=Conflict("event_changed", "this event was changed meanwhile"),
    )


def save_op(record, *, condition=None, error=None):
    return TxOp(
        apply=lambda tx: tx.save(record, condition=condition), error=error or Conflict("save_failed", "refused")
    )


def run(ops):
    """Commit the steps in one TransactWriteItems (retried on races); a failed step raises its error."""
    transactions.run_steps(ops, tries=CONFLICT_TRIES)


# ---- standings ----------------------------------------------------------------------------------------------


def standing_read(party_id):
    return Read(Standing, party_id)


def get_standing(party_id):
    try:
        return Standing.get(party_id, consistent_read=True)
    except DoesNotExist:
        return None


def get_standings(party_ids):
    """{party_id: Standing} in BatchGetItems of 100 (absent parties left out)."""
    ids, found = list(dict.fromkeys(party_ids)), {}
    for start in range(0, len(ids), BATCH_GET):
        for item in Standing.batch_get(ids[start : start + BATCH_GET], consistent_read=True):
            found[item.party_id] = item
    return found


def set_suspension(party_id, *, role, reason, by, now_ms):
    """Suspend (reason) or lift (reason None)."""
    if reason:
        actions = [
            Standing.suspended_reason.set(reason),
            Standing.suspended_at.set(now_ms),
            Standing.suspended_by.set(by),
        ]
    else:
        actions = [Standing.suspended_reason.remove(), Standing.suspended_at.remove(), Standing.suspended_by.remove()]
    if role:
        actions.append(Standing.role.set(Standing.role | role))
    Standing(party_id).update(actions=actions)


def set_policy(party_id, *, role, min_driver_grade):
    actions = [Standing.role.set(Standing.role | role)]
    actions.append(
        Standing.min_driver_grade.set(min_driver_grade) if min_driver_grade else Standing.min_driver_grade.remove()
    )
    Standing(party_id).update(actions=actions)


def min_grade_check_op(shipper_id, *, driver_rank, ranks, error):
    """In the grab's transaction: the load's shipper asks no more than the driver's grade (no read needed)."""
    allowed = [grade for grade, value in ranks.items() if value <= driver_rank]
    condition = Standing.min_driver_grade.does_not_exist() | Standing.min_driver_grade.is_in(*allowed)
    return TxOp(apply=lambda tx: tx.condition_check(Standing, shipper_id, condition=condition), error=error)


def not_suspended_op(party_id, *, error):
    condition = Standing.suspended_reason.does_not_exist()
    return TxOp(apply=lambda tx: tx.condition_check(Standing, party_id, condition=condition), error=error)


def snapshot_op(party_id, *, score, grade, now_ms, deltas=None):
    """The job's (or an appeal's) score snapshot, with the counts of a day leaving the window taken off."""
    actions = _adds(Standing, deltas or {}) + [Standing.score.set(score), Standing.computed_at.set(now_ms)]
    actions.append(Standing.grade.set(grade) if grade else Standing.grade.remove())
    return TxOp(
        apply=lambda tx: tx.update(Standing(party_id), actions=actions),
        error=Conflict("snapshot_failed", "refused"),
    )


def expire_day_op(party_id, day, *, now_ms):
    """Mark a day as taken off the totals, once (a rerun of the job finds it marked and skips it)."""
    return TxOp(
        apply=lambda tx: tx.update(
            PartyDay(party_id, day), actions=[PartyDay.expired.set(now_ms)], condition=PartyDay.expired.does_not_exist()
        ),
        error=AlreadyRecorded(),
    )


def days_page(day, *, limit, last_evaluated_key):
    """Parties with counters on `day` (the by_day index), a page at a time."""
    return query_page(lambda **kw: PartyDay.by_day.query(day, **kw), limit=limit, last_evaluated_key=last_evaluated_key)


# ---- events -------------------------------------------------------------------------------------------------


def get_event(party_id, event_id):
    try:
        return TrustEvent.get(party_id, event_id, consistent_read=True)
    except DoesNotExist:
        return None


def events_page(party_id, *, since_ms, limit, last_evaluated_key):
    """A party's events in the window, newest first (the by_time local index)."""
    return query_page(
        lambda **kw: TrustEvent.by_time.query(party_id, TrustEvent.at >= since_ms, scan_index_forward=False, **kw),
        limit=limit,
        last_evaluated_key=last_evaluated_key,
    )


# ---- ratings ------------------------------------------------------------------------------------------------


def rating_read(rating_id):
    return Read(Rating, rating_id)


def get_ratings(rating_ids):
    return {r.rating_id: r for r in Rating.batch_get(list(rating_ids), consistent_read=True)}


# ---- complaints and appeals ---------------------------------------------------------------------------------


def get_complaint(complaint_id):
    try:
        return Complaint.get(complaint_id, consistent_read=True)
    except DoesNotExist:
        return None


def save_complaint(complaint):
    complaint.save(condition=Complaint.complaint_id.does_not_exist())


def answer_complaint_op(complaint, *, changes):
    actions = [getattr(Complaint, name).set(value) for name, value in changes.items() if value is not None]
    return TxOp(
        apply=lambda tx: tx.update(complaint, actions=actions, condition=Complaint.status == "open"),
        error=Conflict("complaint_answered", "this complaint was already answered"),
    )


def complaints_by_status(status, *, limit, last_evaluated_key, due_before=None):
    """Complaints in a status, the most urgent (earliest due) first."""
    condition = Complaint.due_at <= due_before if due_before is not None else None
    return query_page(
        lambda **kw: Complaint.by_status.query(status, condition, **kw),
        limit=limit,
        last_evaluated_key=last_evaluated_key,
    )


def complaints_by_author(author_id, *, limit, last_evaluated_key):
    return query_page(
        lambda **kw: Complaint.by_author.query(author_id, scan_index_forward=False, **kw),
        limit=limit,
        last_evaluated_key=last_evaluated_key,
    )


def mark_alerted(complaint_id, *, now_ms):
    """True the first time (the overdue alert is raised once)."""
    from pynamodb.exceptions import UpdateError

    try:
        Complaint(complaint_id).update(
            actions=[Complaint.alerted_at.set(now_ms)],
            condition=Complaint.alerted_at.does_not_exist() & (Complaint.status == "open"),
        )
    except UpdateError:
        return False
    return True


def get_appeal(appeal_id):
    try:
        return Appeal.get(appeal_id, consistent_read=True)
    except DoesNotExist:
        return None


def decide_appeal_op(appeal, *, status, by, reason, now_ms):
    actions = [
        Appeal.status.set(status),
        Appeal.decided_by.set(by),
        Appeal.decision_reason.set(reason),
        Appeal.decided_at.set(now_ms),
    ]
    return TxOp(
        apply=lambda tx: tx.update(appeal, actions=actions, condition=Appeal.status == "pending"),
        error=Conflict("appeal_decided", "this appeal was already decided"),
    )


def appeals_by_status(status, *, limit, last_evaluated_key):
    return query_page(
        lambda **kw: Appeal.by_status.query(status, **kw), limit=limit, last_evaluated_key=last_evaluated_key
    )


def appeals_by_party(party_id, *, limit, last_evaluated_key):
    return query_page(
        lambda **kw: Appeal.by_party.query(party_id, scan_index_forward=False, **kw),
        limit=limit,
        last_evaluated_key=last_evaluated_key,
    )

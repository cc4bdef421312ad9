"""The upload state machine: documents queued from events, self-checked, sent, acknowledged, accepted.

    queued → sent → acknowledged → accepted | rejected → corrected → resent → acknowledged → ...
    (a failed self-check holds a document as `blocked`: the compliance queue, checked again on later runs)

A document is one per kind and subject (`<kind>.<subject id>`), so an event delivered twice queues it once.
Its message reference number is derived from the id and the revision: a resend after a timeout carries the
same reference (the province answers 3001 if it had it: received, not lost) and only a correction after a
rejection takes a new one. `sent` is written before the call, so a crash mid-call is retried, never lost.
"""

import logging
import uuid

from backend.accounts import service as accounts
from backend.alerts import service as alerts
from backend.auth import service as auth
from backend.catalogue import service as catalogue
from backend.common.errors import Conflict, NotFound, field_error
from backend.config import setting
from backend.regfeed import checks, consent, documents, facts, store, transport
from backend.regfeed.models import RegDocument
from backend.waybills import service as waybills

log = logging.getLogger("coalhaul.regfeed")
KINDS = tuple(documents.NAMES)
STATES = ("queued", "blocked", "sent", "acknowledged", "accepted", "rejected", "corrected", "resent")
OPEN_STATES = tuple(s for s in STATES if s != "accepted")
TO_SEND = ("queued", "corrected", "blocked", "sent", "resent")  # sent/resent: the reply was lost, same reference
MAX_BACKOFF_MS = 3_600_000
PER_RUN = 100
_NAMESPACE = uuid.UUID("6f1c2a9e-3c1b-4a57-9a0e-5b2d8c7e4f10")
_ACTOR = facts.READER


def doc_id(kind, subject_id):
    return f"{kind}.{subject_id}"


def message_ref(document):
    """32 hex characters, fixed per document and revision (resends reuse it; corrections do not)."""
    return uuid.uuid5(_NAMESPACE, f"{document.doc_id}#{document.revision}").hex


def limits(now_ms):
    return {
        "sent_ms": now_ms,
        "gap_ms": setting("REGFEED_TRACK_GAP_MINUTES") * 60_000,
        "near_m": setting("REGFEED_FENCE_NEAR_M"),
        "load_tolerance_pct": setting("REGFEED_LOAD_TOLERANCE_PCT"),
    }


# -- queueing (events) --------------------------------------------------------------------------------


def enqueue(kind, subject_id, *, mine_id, now_ms):
    """Queue a document once; True when queued now, False when it was queued before."""
    document = RegDocument(
        doc_id(kind, subject_id),
        kind=kind,
        subject_id=subject_id,
        mine_id=mine_id,
        state="queued",
        next_try_at=now_ms,
        queued_at=now_ms,
        updated_at=now_ms,
    )
    return store.create(document)


def _mine_of(waybill_id, waybill):
    return (waybill if waybill is not None else waybills.get(waybill_id)).mine_id


def on_delivery_confirmed(*, waybill_id, now_ms, waybill=None, **_):
    """events: the consignee confirmed receipt: the waybill document is queued (one write; the job adds the rest)."""
    try:
        enqueue("waybill", waybill_id, mine_id=_mine_of(waybill_id, waybill), now_ms=now_ms)
    except Exception:  # noqa: BLE001 - the buyer's committed confirmation must still answer 2xx
        log.warning("regfeed: waybill %s not queued; its settlement queues it again", waybill_id, exc_info=True)


def on_settled(*, waybill_id, now_ms, waybill=None, **_):
    """events: the waybill settled: its fund flow is queued (the job queues the waybill if a dispute skipped it)."""
    try:
        enqueue("fund_flow", waybill_id, mine_id=_mine_of(waybill_id, waybill), now_ms=now_ms)
    except Exception:  # noqa: BLE001 - the settlement committed and stands; the warning is the trace to requeue from
        log.warning("regfeed: fund flow of %s not queued", waybill_id, exc_info=True)


def on_papers_changed(*, kind, subject_id, now_ms, **_):
    """events: a truck's or a driver's papers changed (a renewed certificate): the record the province holds is
    sent again, corrected under a new reference, so it never keeps the old expiry. Nothing before it was sent."""
    document = store.get(doc_id(kind, subject_id))
    if document is None or document.state not in ("acknowledged", "accepted", "rejected"):
        return None  # not sent yet, or on its way: it is built from the record as it is when it goes
    try:
        return _move(
            document,
            "corrected",
            now_ms=now_ms,
            revision=document.revision + 1,
            next_try_at=now_ms,
            reject_code=None,
            reject_reason=None,
        )
    except store.Moved:  # the job moved it meanwhile; the next change or run sends the new papers
        log.info("regfeed: %s changed while its document moved", doc_id(kind, subject_id))
        return None


def companions(document, *, now_ms):
    """What a document needs the province to have first: a waybill's truck, driver and positions; a fund flow's
    waybill. Queued by the job (not by the event, which stays one write); each is queued once."""
    mine = document.mine_id
    if document.kind == "fund_flow":
        enqueue("waybill", document.subject_id, mine_id=mine, now_ms=now_ms)
    elif document.kind == "waybill":
        waybill = waybills.get(document.subject_id)
        enqueue("vehicle", waybill.vehicle_id, mine_id=mine, now_ms=now_ms)
        enqueue("driver", waybill.driver_id, mine_id=mine, now_ms=now_ms)
        enqueue("positions", document.subject_id, mine_id=mine, now_ms=now_ms)


# -- building and checking ------------------------------------------------------------------------------


def _fix_link(failure, document):
    link = failure["fix"].format(id=document.subject_id)
    return dict(failure, fix=link)


def build(document, *, now_ms):
    """(body, failures, extra fields for the record) of a document as the records stand now."""
    lim = limits(now_ms)
    if document.kind in ("waybill", "positions"):
        waybill = waybills.get(document.subject_id)
        f = facts.waybill_facts(
            document.subject_id,
            consent_at=consent.granted_at(waybill.driver_id),
            sample_ms=setting("REGFEED_SAMPLE_SECONDS") * 1000,
        )
        if document.kind == "positions":
            return documents.positions_doc(f, sent_ms=now_ms), checks.run((checks.track_without_gaps,), f, lim), {}
        extra = {
            "amount_fen": f.freight_fen,
            "vehicle_id": f.vehicle.vehicle_id,
            "departed_at": f.departed_at,
            "received_at": f.received_at,
        }
        return documents.waybill_doc(f, sent_ms=now_ms), checks.run(checks.WAYBILL_CHECKS, f, lim), extra
    if document.kind == "fund_flow":
        declared = store.get(doc_id("waybill", document.subject_id))
        amount = declared.amount_fen if declared is not None and declared.state == "accepted" else None
        f = facts.fund_flow_facts(document.subject_id, declared_freight_fen=amount)
        paid = sum(p["fen"] for p in f.payments)
        return (
            documents.fund_flow_doc(f, sent_ms=now_ms),
            checks.run((checks.fund_flow_matches,), f, lim),
            {"amount_fen": paid},
        )
    if document.kind == "vehicle":
        vehicle = accounts.find_vehicle(document.subject_id)
        org = accounts.find_org(vehicle.carrier_id)
        return documents.vehicle_doc(vehicle, carrier_name=org.name if org else ""), [], {}
    user, credential = auth.get_user(document.subject_id), accounts.find_credential(document.subject_id)
    if credential is None:
        return None, [{"check": "certificates", "reason": "the driver's papers are missing", "fix": checks.FLEET}], {}
    return documents.driver_doc(user, credential), [], {}


# -- moving -----------------------------------------------------------------------------------------------


def _move(document, state, *, now_ms, **changes):
    """Write the document in its new state (counts follow); Moved when another run moved it first."""
    from_state, from_version = document.state, document.version
    document.state, document.version, document.updated_at = state, from_version + 1, now_ms
    for name, value in changes.items():
        setattr(document, name, value)
    return store.move(document, from_state=from_state, from_version=from_version)


def backoff_ms(attempts):
    return min(setting("REGFEED_RETRY_SECONDS") * 1000 * 2 ** max(attempts - 1, 0), MAX_BACKOFF_MS)


IN_FLIGHT = ("queued", "sent", "resent", "acknowledged", "corrected")


def _waits_for_waybill(document):
    """A document goes after what the province cross-checks it against: a fund flow after its waybill was
    accepted; a waybill after its truck's and driver's records, while those are on their way (one that is
    blocked or rejected does not hold it: the waybill's own checks then name the problem)."""
    if document.kind == "fund_flow":
        declared = store.get(doc_id("waybill", document.subject_id))
        return declared is None or declared.state != "accepted"
    if document.kind == "waybill":
        waybill = waybills.get(document.subject_id)
        first = [store.get(doc_id(kind, subject)) for kind, subject in _records_of(waybill)]
        return any(d is not None and d.state in IN_FLIGHT for d in first)
    return False


def _records_of(waybill):
    return [("vehicle", waybill.vehicle_id), ("driver", waybill.driver_id)] if waybill else []


def send_one(document, *, adapter, now_ms):
    """Check, build and send one document; returns the state it ends in."""
    if document.state not in ("sent", "resent"):
        if document.attempts == 0 and document.state == "queued":
            companions(document, now_ms=now_ms)
        if _waits_for_waybill(document):
            _move(document, document.state, now_ms=now_ms, next_try_at=now_ms + backoff_ms(1))
            return document.state
        body, failures, extra = build(document, now_ms=now_ms)
        if failures:
            attempts = document.attempts + 1
            _move(
                document,
                "blocked",
                now_ms=now_ms,
                failures=[_fix_link(f, document) for f in failures],
                attempts=attempts,
                next_try_at=now_ms + backoff_ms(attempts),
            )
            return "blocked"
        sending = "resent" if document.state == "corrected" else "sent"
        _move(
            document,
            sending,
            now_ms=now_ms,
            body=body,
            failures=None,
            message_ref=message_ref(document),
            sent_at=now_ms,
            next_try_at=now_ms,
            **extra,
        )
    try:
        ack = adapter.send(
            document=documents.NAMES[document.kind],
            version=documents.VERSION,
            ref=document.message_ref,
            body=document.body,
            sent_ms=now_ms,
        )
    except transport.Unreachable as error:
        attempts = document.attempts + 1
        log.info("regfeed %s not answered (%s); retry %d", document.doc_id, error, attempts)
        _move(document, document.state, now_ms=now_ms, attempts=attempts, next_try_at=now_ms + backoff_ms(attempts))
        return document.state
    if ack.received:
        _move(document, "acknowledged", now_ms=now_ms, acked_at=now_ms, next_try_at=now_ms)
        return "acknowledged"
    _move(document, "rejected", now_ms=now_ms, reject_code=ack.code, reject_reason=ack.message, next_try_at=now_ms)
    return "rejected"


def poll(documents_acked, *, adapter, now_ms):
    """Ask the province about acknowledged documents; {state: n} of the verdicts recorded."""
    if not documents_acked:
        return {}
    by_ref = {d.message_ref: d for d in documents_acked}
    try:
        verdicts = adapter.results(list(by_ref))
    except transport.Unreachable:
        return {}
    moved = {}
    for ref, document in by_ref.items():
        status, code, message = verdicts.get(ref, ("pending", None, None))
        if status == "accepted":
            _move(document, "accepted", now_ms=now_ms, done_at=now_ms, next_try_at=now_ms)
        elif status == "rejected":
            _move(document, "rejected", now_ms=now_ms, reject_code=code, reject_reason=message, next_try_at=now_ms)
        else:  # pending, or unknown to a province that lost it: ask again shortly
            _move(document, "acknowledged", now_ms=now_ms, next_try_at=now_ms + backoff_ms(1) // 4)
            status = "acknowledged"
        moved[status] = moved.get(status, 0) + 1
    return moved


def _blocked_by_error(document, error, *, now_ms):
    """A document that cannot even be built (a record gone, a value refused) waits in the queue with the reason."""
    fresh = store.get(document.doc_id)
    if fresh is None or fresh.state not in TO_SEND:
        return
    attempts = fresh.attempts + 1
    failure = {"check": "build", "reason": f"{type(error).__name__}: {error}"[:300], "fix": checks.COMPLIANCE}
    _move(
        fresh,
        "blocked",
        now_ms=now_ms,
        failures=[failure],
        attempts=attempts,
        next_try_at=now_ms + backoff_ms(attempts),
    )


def _safely(work, document, *, now_ms):
    try:
        return work()
    except store.Moved:
        return "moved"  # another run took it
    except Exception as error:  # noqa: BLE001 - one document's failure must not stop the others
        log.warning("regfeed %s failed; blocked until its next try", document.doc_id, exc_info=True)
        try:
            _blocked_by_error(document, error, now_ms=now_ms)
        except Exception:  # noqa: BLE001 - the store itself is failing: the next run tries again
            log.warning("regfeed %s could not be marked", document.doc_id, exc_info=True)
        return "failed"


def _mines(mine_ids):
    return mine_ids or [mine.mine_id for mine in catalogue.list_mines()]


def run(*, now_ms, mine_ids=None, adapter=None, limit=PER_RUN):
    """The scheduled upload per mine: send what is due, ask about what was acknowledged, alert on overdue ones."""
    adapter = adapter or transport.from_settings(setting)
    outcome = {}
    for mine_id in _mines(mine_ids):
        for state in TO_SEND:
            for document in store.due(state, mine_id, now_ms=now_ms, limit=limit):
                work = lambda d=document: send_one(d, adapter=adapter, now_ms=now_ms)  # noqa: E731
                result = _safely(work, document, now_ms=now_ms)
                outcome[result] = outcome.get(result, 0) + 1
        acked = store.due("acknowledged", mine_id, now_ms=now_ms, limit=limit)
        try:
            verdicts = poll(acked, adapter=adapter, now_ms=now_ms)
        except store.Moved:
            verdicts = {}  # another run is asking about the same documents
        for state, n in verdicts.items():
            outcome[state] = outcome.get(state, 0) + n
    outcome["overdue_alerted"] = alert_overdue(now_ms=now_ms, mine_ids=mine_ids, limit=limit)
    return outcome


SWEEP_DAYS = 2  # how far back the daily sweep looks: yesterday's and today's deliveries and settlements
SWEPT = (("confirmed", ("waybill",)), ("settled", ("waybill", "fund_flow")))


def sweep(*, now_ms, mine_ids=None, page=100):
    """The daily safety net: queue the documents of every waybill delivered or settled in the last SWEEP_DAYS whose
    queueing inside its event failed (logged there). Reads each mine's state index newest first, only back to the
    cut-off, so it costs the days' waybills, never the history; queueing is idempotent. {"queued": n}."""
    cutoff, queued = now_ms - SWEEP_DAYS * 86_400_000, 0
    for mine_id in _mines(mine_ids):
        for state, kinds in SWEPT:
            cursor, more = None, True
            while more:
                items, cursor = waybills.list_by("mine", mine_id, limit=page, last_evaluated_key=cursor, state=state)
                recent = [w for w in items if w.updated_at >= cutoff]
                for waybill in recent:
                    queued += sum(enqueue(k, waybill.waybill_id, mine_id=mine_id, now_ms=now_ms) for k in kinds)
                more = bool(cursor) and len(recent) == len(items)
    return {"queued": queued}


def alert_overdue(*, now_ms, mine_ids=None, limit=PER_RUN):
    """One alert per document not accepted within REGFEED_ACCEPT_WITHIN_MINUTES of being queued."""
    cutoff = now_ms - setting("REGFEED_ACCEPT_WITHIN_MINUTES") * 60_000
    raised = 0
    for mine_id in _mines(mine_ids):
        for state in OPEN_STATES:
            items, _ = store.in_state(state, mine_id, limit=limit)
            for document in items:
                if document.queued_at > cutoff or document.overdue_alerted:
                    continue
                name = documents.NAMES[document.kind]
                alerts.raise_alert(
                    kind="regfeed_overdue",
                    mine_id=mine_id,
                    hold=False,
                    actor=_ACTOR,
                    now_ms=now_ms,
                    reason=f"{name} {document.subject_id} not accepted by the province ({state})",
                    evidence={"doc_id": document.doc_id},
                )
                mark = lambda d=document: _move(d, d.state, now_ms=now_ms, overdue_alerted=now_ms)  # noqa: E731
                _safely(mark, document, now_ms=now_ms)
                raised += 1
    return raised


# -- the compliance screen (platform operator) -------------------------------------------------------------


def summary():
    """Counts by state."""
    return {"counts": store.counts(STATES)}


def queue(*, state, mine_id, limit, last_evaluated_key):
    """One page of a state's documents (blocked: the compliance work queue): one mine's, or every mine's first page."""
    if state not in STATES:
        raise field_error("state", "one of " + ", ".join(STATES))
    if mine_id:
        return store.in_state(state, mine_id, limit=limit, last_evaluated_key=last_evaluated_key)
    items = [d for mine in _mines(None) for d in store.in_state(state, mine, limit=limit)[0]]
    return sorted(items, key=lambda d: -d.next_try_at)[:limit], None


def get(document_id):
    document = store.get(document_id)
    if document is None:
        raise NotFound("document_not_found", "no such regulatory document")
    return document


def resend(*, document_id, now_ms):
    """A person fixed what was wrong: a rejected document is corrected (new reference), a blocked one rechecked."""
    document = get(document_id)
    if document.state == "rejected":
        _move(
            document,
            "corrected",
            now_ms=now_ms,
            revision=document.revision + 1,
            next_try_at=now_ms,
            reject_code=None,
            reject_reason=None,
        )
    elif document.state == "blocked":
        _move(document, "blocked", now_ms=now_ms, next_try_at=now_ms)
    else:
        raise Conflict(
            "not_resendable", f"a {document.state} document is not resent", details={"state": document.state}
        )
    return document

"""Complaints (投诉): any party about a waybill or a party, routed to dispatch with a 24 h clock; fault feeds scores."""

import logging

from backend import events
from backend.alerts import service as alerts
from backend.common.errors import ApiError, Forbidden, NotFound, field_error
from backend.common.ids import new_id
from backend.receipts.storage import storage
from backend.trust import service, store
from backend.trust.models import Complaint
from backend.waybills import service as waybills

log = logging.getLogger("coalhaul.trust")
RESPONSE_MS = 24 * 3_600_000
CATEGORIES = ("late", "no_show", "cargo_loss", "attitude", "fees", "safety", "fraud", "gate", "other")
ABOUT = ("driver", "carrier", "shipper", "buyer", "mine")
OUTCOMES = ("fault", "no_fault")
CONTENT_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_PHOTO_BYTES = 8 * 1024 * 1024
UPLOAD_EXPIRES_S = 15 * 60
READ_EXPIRES_S = 3600
DISPATCH = ("dispatcher", "admin")


def _prefix(author_id):
    return f"complaints/{author_id}/"


def create_upload(*, principal, content_type, size_bytes, now_ms):
    """A presigned upload for one complaint photo (the receipts' storage, under the author's prefix)."""
    author_id, _ = service.party_of(principal)
    if content_type not in CONTENT_TYPES:
        raise field_error("content_type", f"one of {', '.join(CONTENT_TYPES)}")
    if not 0 < size_bytes <= MAX_PHOTO_BYTES:
        raise field_error("size_bytes", f"between 1 and {MAX_PHOTO_BYTES} bytes")
    key = f"{_prefix(author_id)}photo-{new_id('f')}.{CONTENT_TYPES[content_type]}"
    upload = storage().presign_upload(
        key=key, content_type=content_type, max_bytes=MAX_PHOTO_BYTES, expires_s=UPLOAD_EXPIRES_S, now_ms=now_ms
    )
    return dict(upload, key=key)


def _check_photos(photo_keys, author_id):
    files = storage()
    for index, key in enumerate(photo_keys):
        if not key.startswith(_prefix(author_id)) or ".." in key:
            raise field_error(f"photo_keys.{index}", "not one of your uploads")
        if not files.exists(key):
            raise field_error(f"photo_keys.{index}", "not uploaded yet")


def file(*, principal, category, text, about, waybill_id, about_id, photo_keys, now_ms):
    """File a complaint about a party on a waybill (`about` names its side) or a party by id; due in 24 h."""
    author_id, author_role = service.party_of(principal)
    if category not in CATEGORIES:
        raise field_error("category", f"one of {', '.join(CATEGORIES)}")
    if not (text or "").strip():
        raise field_error("text", "say what happened")
    if about is not None and about not in ABOUT:
        raise field_error("about", f"one of {', '.join(ABOUT)}")
    if waybill_id:
        waybill = waybills.get_visible(principal, waybill_id)
        if about:
            about_id = service.party_on(waybill, about)
            if not about_id:
                raise field_error("about", f"this load has no {about}")
    elif not about_id:
        raise field_error("waybill_id", "name a waybill or a party")
    if about_id == author_id:
        raise field_error("about", "you cannot complain about yourself")
    _check_photos(photo_keys or [], author_id)
    complaint = Complaint(
        new_id("cp"),
        author_id=author_id,
        author_user_id=principal.user_id,
        author_role=author_role,
        about_id=about_id,
        about_role=about,
        waybill_id=waybill_id,
        category=category,
        text=text.strip(),
        photo_keys=photo_keys or None,
        status="open",
        due_at=now_ms + RESPONSE_MS,
        created_at=now_ms,
    )
    store.save_complaint(complaint)
    log.info("complaint %s by %s about %s due %s", complaint.complaint_id, author_id, about_id, complaint.due_at)
    return complaint


def _visible(principal, complaint):
    if principal.role in DISPATCH:
        return True
    try:
        return service.party_of(principal)[0] == complaint.author_id
    except ApiError:
        return False


def shown(complaint, *, now_ms):
    """The complaint with its clock (ms left, overdue) and links to its photos."""
    files = storage()
    due_in = complaint.due_at - now_ms if complaint.status == "open" else None
    return {
        "id": complaint.complaint_id,
        "category": complaint.category,
        "text": complaint.text,
        "waybill_id": complaint.waybill_id,
        "about_id": complaint.about_id,
        "about_role": complaint.about_role,
        "author_role": complaint.author_role,
        "status": complaint.status,
        "created_at": complaint.created_at,
        "due_at": complaint.due_at,
        "due_in_ms": due_in,
        "overdue": due_in is not None and due_in < 0,
        "outcome": complaint.outcome,
        "at_fault_id": complaint.at_fault_id,
        "response": complaint.response,
        "answered_at": complaint.answered_at,
        "photos": [files.read_url(key=k, expires_s=READ_EXPIRES_S, now_ms=now_ms) for k in complaint.photo_keys or []],
    }


def get(*, principal, complaint_id, now_ms):
    complaint = store.get_complaint(complaint_id)
    if complaint is None or not _visible(principal, complaint):
        raise NotFound("complaint_not_found", "complaint not found")
    return shown(complaint, now_ms=now_ms)


def listing(*, principal, status, limit, last_evaluated_key, now_ms):
    """Dispatch: the queue by status, most urgent first; a party: its own complaints, newest first."""
    if principal.role in DISPATCH:
        items, lek = store.complaints_by_status(status or "open", limit=limit, last_evaluated_key=last_evaluated_key)
    else:
        author_id, _ = service.party_of(principal)
        items, lek = store.complaints_by_author(author_id, limit=limit, last_evaluated_key=last_evaluated_key)
    return [shown(c, now_ms=now_ms) for c in items], lek


def answer(*, principal, complaint_id, outcome, response, at_fault_id, now_ms):
    """Dispatch answers: fault found puts a complaint_at_fault event on the party at fault, in the same write."""
    if principal.role not in DISPATCH:
        raise Forbidden("forbidden_role", "dispatch answers complaints")
    if outcome not in OUTCOMES:
        raise field_error("outcome", "fault or no_fault")
    if not (response or "").strip():
        raise field_error("response", "answer the complainant")
    complaint = store.get_complaint(complaint_id)
    if complaint is None:
        raise NotFound("complaint_not_found", "complaint not found")
    at_fault = (at_fault_id or complaint.about_id) if outcome == "fault" else None
    if outcome == "fault" and not at_fault:
        raise field_error("at_fault_id", "name the party at fault")
    changes = {
        "status": "answered",
        "outcome": outcome,
        "response": response.strip(),
        "answered_at": now_ms,
        "answered_by": principal.user_id,
        "at_fault_id": at_fault,
    }
    steps = [store.answer_complaint_op(complaint, changes=changes)]
    if at_fault:
        role = complaint.about_role if at_fault == complaint.about_id else _role_of(at_fault)
        event = service.event_record(
            party_id=at_fault,
            role=role or "driver",
            signal="complaint_at_fault",
            source_id=complaint.complaint_id,
            at=now_ms,
            waybill_id=complaint.waybill_id,
            note=complaint.category,
        )
        steps += service.record_steps([event])
    store.run(steps)
    events.publish(
        "complaint_answered",
        complaint_id=complaint.complaint_id,
        author_user_id=complaint.author_user_id,
        response=changes["response"],
        now_ms=now_ms,
    )
    return shown(store.get_complaint(complaint_id), now_ms=now_ms)


def _role_of(party_id):
    standing = store.get_standing(party_id)
    return standing.role if standing else None


def alert_overdue(*, now_ms, limit=200):
    """The job: an alert for dispatch on each open complaint past its 24 h clock, raised once."""
    items, _ = store.complaints_by_status("open", limit=limit, last_evaluated_key=None, due_before=now_ms)
    raised = 0
    for complaint in items:
        if complaint.alerted_at or not store.mark_alerted(complaint.complaint_id, now_ms=now_ms):
            continue
        mine_id = waybills.get(complaint.waybill_id).mine_id if complaint.waybill_id else "platform"
        alerts.raise_alert(
            kind="complaint_overdue",
            mine_id=mine_id,
            reason=f"complaint {complaint.complaint_id} ({complaint.category}) unanswered after 24 h",
            actor=None,
            now_ms=now_ms,
            waybill_id=complaint.waybill_id,
            hold=False,
        )
        raised += 1
    return {"overdue_alerted": raised}

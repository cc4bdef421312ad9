"""Ratings after delivery: one per party per waybill and target, editable 24 h, counted without the rater's name."""

import hashlib

from backend.common import batch
from backend.common.clock import shanghai_date
from backend.common.errors import ApiError, Conflict, NotFound, field_error
from backend.trust import service, store, weights
from backend.trust.models import Rating
from backend.waybills import service as waybills

EDIT_MS = 24 * 3_600_000
DELIVERED = ("confirmed", "settled")
# Who rates whom: the buyer or shipper rates the hauling side; the driver rates the paying side and the mine's gate.
TARGETS = {
    "buyer": ("driver", "carrier"),
    "shipper": ("driver", "carrier"),
    "driver": ("shipper", "buyer", "mine"),
}
TARGET_ROLE = {"driver": "driver", "carrier": "carrier", "shipper": "shipper", "buyer": "buyer", "mine": "mine"}


def rating_id(waybill_id, rater_id, target):
    return f"{waybill_id}:{rater_id}:{target}"


def _is_party(principal, rater_id, waybill):
    return {
        "driver": waybill.driver_id == rater_id,
        "buyer": waybill.buyer_id == rater_id,
        "shipper": waybill.shipper_id == rater_id,
    }.get(principal.role, False)


def _deltas(rating, sign):
    """What one rating adds to its party's counters (sign -1 takes an old version off)."""
    deltas = {"ratings_n": sign, "ratings_stars": sign * rating.stars}
    signal = weights.rating_signal(rating.stars)
    if signal:
        deltas[signal] = sign
    for tag in rating.tags or []:
        deltas[f"tag_{tag}"] = deltas.get(f"tag_{tag}", 0) + sign
    return deltas


def _check(stars, tags):
    if not 1 <= stars <= 5:
        raise field_error("stars", "1 to 5")
    unknown = [t for t in tags if t not in weights.RATING_TAGS]
    if unknown:
        raise field_error("tags", f"unknown tags {', '.join(unknown)}")


def rate(*, principal, waybill_id, target, stars, tags, now_ms):
    """Rate the other side of a delivered load; a second call within 24 h edits the rating."""
    rater_id, _ = service.party_of(principal)
    tags = list(dict.fromkeys(tags or []))
    _check(stars, tags)
    if target not in TARGETS.get(principal.role, ()):
        raise field_error("target", f"you rate one of {', '.join(TARGETS.get(principal.role, ()))}")
    rid = rating_id(waybill_id, rater_id, target)
    waybill, old = batch.get_many(waybills.read(waybill_id), store.rating_read(rid))
    if waybill is None or not _is_party(principal, rater_id, waybill):
        raise NotFound("waybill_not_found", "waybill not found")
    if waybill.state not in DELIVERED:
        raise Conflict("not_delivered", "rate once the load is delivered", details={"state": waybill.state})
    rated_id = service.party_on(waybill, target)
    if not rated_id:
        raise field_error("target", f"this load has no {target}")
    if old is not None and now_ms > old.editable_until:
        raise Conflict("rating_locked", "a rating can be changed for 24 h only")
    if old is not None and _appealed(old):
        # Its counts are the dispatcher's to change now: an edit would take off what the appeal took off already.
        raise Conflict("rating_locked", "the rated party appealed this rating: it can no longer be changed")
    rating = Rating(
        rid,
        waybill_id=waybill_id,
        rater_id=rater_id,
        rater_role=principal.role,
        target=target,
        rated_id=rated_id,
        stars=stars,
        tags=tags or None,
        day=old.day if old else shanghai_date(now_ms),
        created_at=old.created_at if old else now_ms,
        updated_at=now_ms,
        editable_until=old.editable_until if old else now_ms + EDIT_MS,
    )
    store.run(_steps(rating, old))
    return rating


def _steps(rating, old):
    role = TARGET_ROLE[rating.target]
    deltas = _deltas(rating, 1)
    if old is not None:
        for name, amount in _deltas(old, -1).items():
            deltas[name] = deltas.get(name, 0) + amount
    condition = Rating.rating_id.does_not_exist() if old is None else Rating.updated_at == old.updated_at
    steps = [store.save_op(rating, condition=condition, error=Conflict("rating_changed", "rated meanwhile: retry"))]
    signal = weights.rating_signal(rating.stars)
    event_id = _event_id(rating)
    if signal:
        event = service.event_record(
            party_id=rating.rated_id,
            role=role,
            signal=signal,
            source_id=rating.rating_id,
            at=rating.created_at,
            waybill_id=rating.waybill_id,
            note=f"{rating.stars}",
        )
        event.event_id = event_id  # one event per rating: an edit replaces it
        steps.append(store.event_op(event, once=False))
    elif old is not None and weights.rating_signal(old.stars):
        steps.append(store.delete_event_op(rating.rated_id, event_id))
    steps += store.counter_ops(party_id=rating.rated_id, role=role, day=rating.day, deltas=deltas)
    return steps


def _event_id(rating):
    # Opaque: the rating's id names the load and the rater, and the rated party reads its events' ids.
    return "rating:" + hashlib.sha256(rating.rating_id.encode()).hexdigest()[:20]


def _appealed(rating):
    """An edit reads the rating's event first (one GetItem, edits only): appealed or removed ones stay as they are."""
    if not weights.rating_signal(rating.stars):
        return False
    event = store.get_event(rating.rated_id, _event_id(rating))
    return event is not None and (event.status != "active" or bool(event.appeal_id))


def mine(*, principal, waybill_id):
    """The caller's own ratings on a waybill (to show and edit them)."""
    rater_id, _ = service.party_of(principal)
    ids = [rating_id(waybill_id, rater_id, t) for t in TARGETS.get(principal.role, ())]
    if not ids:
        raise ApiError("forbidden_role", "your role does not rate loads", status=403)
    found = store.get_ratings(ids)
    return [found[i] for i in ids if i in found]

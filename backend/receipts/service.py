"""Taking the unloading receipt, the buyer's receipt code, and the buyer's confirm or dispute."""

import hashlib
import hmac

from backend import events
from backend.common import store as common_store
from backend.common.errors import ApiError, Forbidden, NotFound, field_error
from backend.common.ids import new_id
from backend.common.schemas import Joined
from backend.config import setting
from backend.receipts import store
from backend.receipts.models import Receipt
from backend.receipts.storage import storage
from backend.tracking import geometry, trip_runner
from backend.waybills import service as waybills
from backend.waybills.transitions import IllegalTransition, target_state

CONTENT_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_BYTES = {"photo": 8 * 1024 * 1024, "signature": 512 * 1024}
UPLOAD_EXPIRES_S = 15 * 60
READ_EXPIRES_S = 60 * 60
# Receipt codes stay 6 digits (read aloud at the tip, typed on a phone): what makes them unguessable is the try
# limit. Every try is counted before the compare, atomically, per waybill for its whole life: with
# RECEIPT_CODE_ATTEMPTS = 5 the chance of guessing a waybill's code is 5 / 10^6 = 5e-6 (< 1e-4). The recipient's
# signature stays open when the tries are used up. Per driver per day a second counter caps guessing in bulk.
CODE_LIFETIME_S = 30 * 86400  # the counter outlives any waybill's trip (expires 2x this after the last try)
DAY_S = 86400


def _drivers(principal, waybill_id):
    waybill = waybills.get_visible(principal, waybill_id)
    if principal.role != "driver" or waybill.driver_id != principal.user_id:
        raise Forbidden("not_your_trip", "only the waybill's driver takes its receipt")
    return waybill


def _buyers(principal, waybill_id):
    waybill = waybills.get_visible(principal, waybill_id)
    if principal.role != "buyer" or waybill.buyer_id != principal.user_id:
        raise Forbidden("not_your_order", "only the waybill's buyer may do this")
    return waybill


def create_upload(*, principal, waybill_id, kind, content_type, size_bytes, now_ms):
    """A presigned upload for one photo or the signature, checked for type and size."""
    _drivers(principal, waybill_id)
    if content_type not in CONTENT_TYPES:
        raise field_error("content_type", f"one of {', '.join(CONTENT_TYPES)}")
    if not 0 < size_bytes <= MAX_BYTES[kind]:
        raise field_error("size_bytes", f"between 1 and {MAX_BYTES[kind]} bytes")
    key = f"receipts/{waybill_id}/{kind}-{new_id('f')}.{CONTENT_TYPES[content_type]}"
    upload = storage().presign_upload(
        key=key, content_type=content_type, max_bytes=MAX_BYTES[kind], expires_s=UPLOAD_EXPIRES_S, now_ms=now_ms
    )
    return dict(upload, key=key)


def receipt_code(waybill_id):
    """The six digits the buyer reads to the driver instead of signing (derived, so nothing to store)."""
    secret = (setting("JWT_SECRET_KEY") + ":receipt-code").encode()
    digest = hmac.new(secret, waybill_id.encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def code_for_buyer(*, principal, waybill_id):
    return {"waybill_id": waybill_id, "code": receipt_code(_buyers(principal, waybill_id).waybill_id)}


def _check_file(key, waybill_id, field, files):
    if not key.startswith(f"receipts/{waybill_id}/") or ".." in key:
        raise field_error(field, "not an upload of this waybill")
    if not files.exists(key):
        raise field_error(field, "not uploaded yet")


def loss_tolerance_pct():
    return setting("RECEIPT_LOSS_TOLERANCE_PCT")


def _flags(waybill, point, received_kg):
    flags = []
    fence = (waybill.destination or {}).get("polygon")
    inside = bool(point) and bool(fence) and geometry.in_polygon(fence, point)
    if not inside:
        flags.append("outside_fence")
    loss = waybill.net_kg - received_kg if waybill.net_kg is not None else None
    if loss is not None and abs(loss) > waybill.net_kg * loss_tolerance_pct() / 100:
        flags.append("loss_over_tolerance")
    return inside, loss, flags


def _code_tries_left(waybill_id, driver_id, now_ms):
    per_waybill = common_store.hit_counter(
        key=f"receipt_code#{waybill_id}",
        limit=setting("RECEIPT_CODE_ATTEMPTS"),
        now_ms=now_ms,
        window_seconds=CODE_LIFETIME_S,
    )
    day = now_ms // 1000 // DAY_S
    return per_waybill and common_store.hit_counter(
        key=f"receipt_code#driver#{driver_id}#{day}",
        limit=setting("RECEIPT_CODE_ATTEMPTS_PER_DRIVER"),
        now_ms=now_ms,
        window_seconds=DAY_S,
    )


def _unloadable(waybill):
    try:
        target_state("unload", waybill.state)
    except IllegalTransition:
        return False
    return True


def check_code(*, waybill, code, driver_id, now_ms):
    """Accept the buyer's code; a wrong code and a right one given too early get the very same 400."""
    if not _code_tries_left(waybill.waybill_id, driver_id, now_ms):
        raise ApiError(
            "too_many_code_tries",
            "too many receipt-code tries for this waybill; the recipient signs on screen instead",
            status=429,
            details={"fields": {"receipt_code": ["too many tries: use the recipient's signature"]}},
        )
    right = hmac.compare_digest(code.strip().encode(), receipt_code(waybill.waybill_id).encode())
    if not (right and _unloadable(waybill)):
        raise field_error("receipt_code", "not accepted: check the code with the buyer once the truck has arrived")


def _check_signed(waybill, signature_key, code, files, *, driver_id, now_ms):
    if signature_key:
        _check_file(signature_key, waybill.waybill_id, "signature_key", files)
        return "signature"
    if not code:
        raise ApiError(
            "validation_error",
            "the recipient signs on screen or gives the receipt code",
            details={
                "fields": {
                    "signature_key": ["signature or receipt_code required"],
                    "receipt_code": ["signature or receipt_code required"],
                }
            },
        )
    check_code(waybill=waybill, code=code, driver_id=driver_id, now_ms=now_ms)
    return "code"


def take_receipt(
    *,
    principal,
    waybill_id,
    received_kg,
    photo_keys,
    point,
    now_ms,
    signature_key=None,
    receipt_code=None,
    signer_name=None,
):
    """Unload: the receipt and the unload transition in one transaction; flags where it looks wrong."""
    waybill = _drivers(principal, waybill_id)
    files = storage()
    for index, key in enumerate(photo_keys):
        _check_file(key, waybill_id, f"photo_keys.{index}", files)
    signed_by = _check_signed(waybill, signature_key, receipt_code, files, driver_id=principal.user_id, now_ms=now_ms)
    inside, loss, flags = _flags(waybill, point, received_kg)
    receipt = Receipt(
        waybill_id,
        driver_id=principal.user_id,
        photo_keys=photo_keys,
        signature_key=signature_key,
        signed_by=signed_by,
        signer_name=signer_name,
        inside_fence=inside,
        net_kg=waybill.net_kg,
        received_kg=received_kg,
        loss_kg=loss,
        flags=flags,
        status="taken",
        created_at=now_ms,
        point={"type": "Point", "coordinates": point} if point else None,
    )
    moved = waybills.transition(
        waybill_id=waybill_id,
        action="unload",
        actor=principal,
        now_ms=now_ms,
        where=receipt.point,
        reason=",".join(flags) or None,
        changes={"received_kg": received_kg},
        extra_ops=[store.insert_op(receipt)],
    )
    trip_runner.end_trip(waybill=moved, now_ms=now_ms)
    return with_links(receipt, now_ms=now_ms)


def decide(*, principal, waybill_id, accept, now_ms, reason=None):
    """The buyer confirms the receipt, or disputes it with a reason."""
    _buyers(principal, waybill_id)
    if not accept and not (reason or "").strip():
        raise field_error("reason", "say what is wrong")
    status, action = ("confirmed", "confirm") if accept else ("disputed", "dispute")
    moved = waybills.transition(
        waybill_id=waybill_id,
        action=action,
        actor=principal,
        now_ms=now_ms,
        reason=reason,
        extra_ops=[store.decide_op(waybill_id, status=status, reason=reason, now_ms=now_ms)],
    )
    if accept:
        events.publish("delivery_confirmed", waybill_id=waybill_id, now_ms=now_ms, waybill=moved)
    return get_receipt(principal=principal, waybill_id=waybill_id, now_ms=now_ms)


def resolve_step(waybill_id, *, resolution, agreed_received_kg, by, now_ms):
    """For the dispute's resolve transaction: the receipt leaves "disputed" with its outcome (if it has one)."""
    if store.get(waybill_id) is None:
        return []  # a waybill disputed without a receipt record (older data): nothing to close
    return [
        store.resolve_op(waybill_id, resolution=resolution, agreed_received_kg=agreed_received_kg, by=by, now_ms=now_ms)
    ]


def get_receipt(*, principal, waybill_id, now_ms):
    """The receipt for the waybill's parties, with short-lived links to its photos."""
    waybills.get_visible(principal, waybill_id)
    receipt = store.get(waybill_id)
    if receipt is None:
        raise NotFound("receipt_not_found", "no receipt yet")
    return with_links(receipt, now_ms=now_ms)


def with_links(receipt, *, now_ms):
    """The receipt with short-lived links to its photos and signature in place of their storage keys."""
    files = storage()
    link = lambda key: files.read_url(key=key, expires_s=READ_EXPIRES_S, now_ms=now_ms)  # noqa: E731
    return Joined(
        receipt,
        photos=[link(k) for k in receipt.photo_keys or []],
        signature=link(receipt.signature_key) if receipt.signature_key else None,
    )

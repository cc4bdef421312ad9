"""Idempotency-Key on every client write: the first reply is stored and replayed."""
import hashlib

from flask import current_app, g, request
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request

from backend.common import store
from backend.common.clock import now_ms
from backend.common.errors import ApiError, error_response

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
HEADER = "Idempotency-Key"


def exempt(view):
    """Mark a write whose reply must not be stored (it carries fresh tokens) or is naturally idempotent."""
    view.idempotency_exempt = True
    return view


def _principal_scope():
    # Keys are scoped by caller, so two users can never replay each other's replies.
    device_id = request.headers.get("X-Device-Id")
    if device_id:
        return f"device:{device_id}"
    try:
        verify_jwt_in_request(optional=True)
        identity = get_jwt_identity()
    except Exception:  # an invalid token is rejected later by the view's own check
        identity = None
    return f"user:{identity}" if identity else f"addr:{request.remote_addr}"


def _request_hash():
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}?{request.query_string.decode()}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _view():
    return current_app.view_functions.get(request.endpoint) if request.endpoint else None


def _view_is_exempt():
    view = _view()
    return view is None or getattr(view, "idempotency_exempt", False)


def _is_device_view():
    return "device" in (getattr(_view(), "access", None) or {})


def before_write():
    """Replay a stored reply, refuse a reused key, or claim the key for this request."""
    if request.method not in WRITE_METHODS or not request.path.startswith("/api/") or _view_is_exempt():
        return None
    key = request.headers.get(HEADER, "").strip()
    if not key:
        if _is_device_view():
            return None  # devices are protected from replays by their signed timestamp and signature
        raise ApiError("idempotency_key_required", f"{HEADER} header is required on writes",
                       details={"fields": {HEADER: ["required"]}})
    if len(key) > 128:
        raise ApiError("validation_error", f"{HEADER} is too long", details={"fields": {HEADER: ["max 128"]}})
    scoped, digest = f"{_principal_scope()}#{key}", _request_hash()
    ttl = current_app.config["IDEMPOTENCY_TTL_SECONDS"]
    if store.claim_idempotency(key=scoped, request_hash=digest, now_ms=now_ms(), ttl_seconds=ttl):
        g.idempotency = (scoped, digest)
        return None
    record = store.get_idempotency(scoped)
    if record is None:  # expired between the two calls: treat as in progress, client retries
        raise ApiError("idempotency_in_progress", "a request with this key is in progress", status=409)
    if record.request_hash != digest:
        raise ApiError("idempotency_key_reused", f"{HEADER} was used with a different request", status=422)
    if record.status != "done":
        raise ApiError("idempotency_in_progress", "a request with this key is in progress", status=409)
    response = current_app.response_class(record.response_body, status=record.response_status,
                                          mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def after_write(response):
    """Keep a successful reply; forget a failed one so the client may retry it."""
    claim = g.pop("idempotency", None)
    if claim is None:
        return response
    scoped, digest = claim
    if 200 <= response.status_code < 300:
        store.finish_idempotency(key=scoped, request_hash=digest, status_code=response.status_code,
                                 body=response.get_data(as_text=True), now_ms=now_ms(),
                                 ttl_seconds=current_app.config["IDEMPOTENCY_TTL_SECONDS"])
    else:
        store.release_idempotency(scoped)
    return response


def teardown_write(error):
    """A crash mid-request must not leave the key claimed forever."""
    claim = g.pop("idempotency", None)
    if claim is not None:
        store.release_idempotency(claim[0])


__all__ = ["before_write", "after_write", "teardown_write", "exempt", "error_response"]

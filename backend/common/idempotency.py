"""Idempotency-Key on every client write: the first reply is stored and replayed.

Two ways to keep the reply, chosen per view:
- **In the write's own transaction** (views marked `@recorded_in_transaction`): the key's record is
  read in the write's one BatchGetItem (`common.batch`) and put, with the reply, in the write's one
  TransactWriteItems (`common.transactions.request_ops`). A crash can never leave the change done
  and the key unrecorded, a duplicate racing the first fails on the record's condition, and the
  write costs no round trip for its key. The hot paths (grab, book, the waybill moves) do this.
- **Claim, then finish** (every other write): a conditional put claims the key before the view runs
  and the reply is stored after it; a failed reply releases the claim so the client may retry.

`Idempotency-Attempt: N` (optional) is how many times the client has sent this key, this time included. On
its first send (`1`) no reply can be stored under the key yet, so a refusal that read nothing (a window or
load the process just saw settled: common/recent_refusals.py) is answered without looking the key up: zero
round trips instead of one, for nearly every request of a stampede. Without the header, or from the second
send on, the key is looked up as before. A client that says `1` for a key it has sent before can only be
refused where its first reply would have been replayed; nothing is ever written twice (the transaction's
not-exists condition on the key still decides).
"""

import hashlib
import json

from flask import current_app, g, request
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request

from backend.common import batch, store, transactions
from backend.common.access import ACCESS_VERIFIED
from backend.common.clock import now_ms
from backend.common.errors import ApiError, Replayed, error_response, handle_unexpected
from backend.config import setting

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
HEADER = "Idempotency-Key"
ATTEMPT_HEADER = "Idempotency-Attempt"  # checked at the edge (common/edge.py): digits, from 1
PENDING = "coalhaul.idempotency_in_transaction"  # per request (see common/batch.py)


def exempt(view):
    """Mark a write whose reply must not be stored (it carries fresh tokens) or is naturally idempotent."""
    view.idempotency_exempt = True
    return view


def recorded_in_transaction(schema, render=None, *, status=200):
    """Mark a write whose service commits one transaction through `request_ops`: the reply is kept by it.

    `render(result)` turns the service's result into what the route returns (default: the result),
    `schema` dumps it exactly as the route's `@blp.response` does, so a replay is the same reply.
    """

    def decorate(view):
        view.idempotency_reply = (schema() if isinstance(schema, type) else schema, render, status)
        return view

    return decorate


def _principal_scope():
    # Keys are scoped by the verified caller, so nobody can replay another's reply. A header such as
    # X-Device-Id proves nothing before its signature is checked, so it never names a scope here
    # (device views skip this store altogether: their signed timestamp and nonce stop replays).
    if request.environ.get(ACCESS_VERIFIED):
        # The session check (auth/session_check.py, first in line) verified this request's token: no second decode.
        return f"user:{get_jwt_identity()}"
    try:
        verified = verify_jwt_in_request(optional=True)
        identity = get_jwt_identity()
    except Exception:  # an invalid token is rejected later by the view's own check
        verified, identity = None, None
    if verified and identity:
        request.environ[ACCESS_VERIFIED] = True
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


def redacted(*fields):
    """Mark a write whose reply carries a secret shown once (a device key): the stored reply has them nulled."""

    def decorate(view):
        view.idempotency_redacted = fields
        return view

    return decorate


def _stored_body(response):
    """The reply as kept for replays: secrets the view names are removed (a replay shows them as null)."""
    fields = getattr(_view(), "idempotency_redacted", ())
    body = response.get_data(as_text=True)
    if not fields:
        return body
    data = json.loads(body)
    for name in fields:
        if isinstance(data, dict) and name in data:
            data[name] = None
    return current_app.json.dumps(data)


def _ttl():
    return current_app.config["IDEMPOTENCY_TTL_SECONDS"]


def _replay(record, digest):
    """The stored reply, or why it cannot be given."""
    if record.request_hash != digest:
        raise ApiError("idempotency_key_reused", f"{HEADER} was used with a different request", status=422)
    if record.status != "done":
        raise ApiError("idempotency_in_progress", "a request with this key is in progress", status=409)
    response = current_app.response_class(
        record.response_body, status=record.response_status, mimetype="application/json"
    )
    response.headers["Idempotent-Replayed"] = "true"
    return response


class KeyInTransaction:
    """The request's key, read in its first batch and recorded by its one transaction."""

    def __init__(self, scoped, digest, reply, first_send=False):
        self.scoped, self.digest, self.reply = scoped, digest, reply
        self.first_send = first_send  # the client has never sent this key before: nothing can be stored under it
        self.checked = False  # the record was read (absent) in a batch
        self.staged = None  # (status, body) of the attempt in flight
        self.recorded = False  # committed with the business change

    # backend.common.batch hooks
    def wants_read(self):
        return not self.checked

    def read(self):
        return store.idempotency_read(self.scoped)

    def owns(self, read):
        return store.is_idempotency_read(read, self.scoped)

    def received(self, record):
        self.checked = True
        if record is not None:
            self.recorded = True  # nothing more to store: this request is a replay
            raise Replayed(_replay(record, self.digest))

    # backend.common.transactions hooks
    def ops(self, result):
        schema, render, status = self.reply
        body = current_app.json.dumps(schema.dump(render(result) if render else result)) + "\n"  # as jsonify
        self.staged = (status, body)
        return [
            store.done_idempotency_op(
                key=self.scoped,
                request_hash=self.digest,
                status_code=status,
                body=body,
                now_ms=now_ms(),
                ttl_seconds=_ttl(),
            )
        ]

    def committed(self):
        self.recorded = True

    def failed(self):
        """A duplicate with this key committed first: answer with its reply."""
        self.recorded = True
        record = store.get_idempotency(self.scoped)
        raise Replayed(_replay(record, self.digest))


def before_write():
    """Replay a stored reply, refuse a reused key, or prepare the key for this request."""
    if request.method not in WRITE_METHODS or not request.path.startswith("/api/") or _view_is_exempt():
        return None
    if _is_device_view():
        return None  # devices are protected from replays by their signed timestamp, nonce and signature
    key = request.headers.get(HEADER, "").strip()
    if not key:
        raise ApiError(
            "idempotency_key_required",
            f"{HEADER} header is required on writes",
            details={"fields": {HEADER: ["required"]}},
        )
    if len(key) > 128:
        raise ApiError("validation_error", f"{HEADER} is too long", details={"fields": {HEADER: ["max 128"]}})
    scoped, digest = f"{_principal_scope()}#{key}", _request_hash()
    reply = getattr(_view(), "idempotency_reply", None)
    if reply is not None:
        first_send = request.headers.get(ATTEMPT_HEADER, "").strip() == "1"
        pending = request.environ[PENDING] = KeyInTransaction(scoped, digest, reply, first_send)
        batch.add_request_read(pending)
        transactions.add_request_hook(pending)
        return None
    lease_ms = setting("IDEMPOTENCY_LEASE_SECONDS") * 1000
    if store.claim_idempotency(key=scoped, request_hash=digest, now_ms=now_ms(), ttl_seconds=_ttl(), lease_ms=lease_ms):
        g.idempotency = (scoped, digest)
        return None
    record = store.get_idempotency(scoped)
    if record is None:  # expired between the two calls: treat as in progress, client retries
        raise ApiError("idempotency_in_progress", "a request with this key is in progress", status=409)
    return _replay(record, digest)


def _finish_in_transaction(pending, response):
    """A refusal may be a replay whose first attempt already moved things on: check the key then."""
    if pending.recorded:
        return response
    if 200 <= response.status_code < 300:
        # The service answered without its transaction (nothing to change): keep the reply the slow way.
        store.finish_idempotency(
            key=pending.scoped,
            request_hash=pending.digest,
            status_code=response.status_code,
            body=_stored_body(response),
            now_ms=now_ms(),
            ttl_seconds=_ttl(),
        )
    elif 400 <= response.status_code < 500 and not pending.checked and not pending.first_send:
        record = store.get_idempotency(pending.scoped)
        if record is not None:
            return _replay(record, pending.digest)
    return response


def after_write(response):
    """Keep a successful reply; forget a failed one so the client may retry it.

    The key's own read or write can fail here, after the view: the store busy or unreachable after botocore's
    retries. That is answered as it would be in the view (503 with Retry-After: the client retries with the
    same key), not as a 500: Flask hands an after-request error to no view-level handler."""
    try:
        return _keep_or_forget(response)
    except Exception as error:
        return handle_unexpected(error)


def _keep_or_forget(response):
    pending = request.environ.pop(PENDING, None)
    if pending is not None:
        return _finish_in_transaction(pending, response)
    claim = g.pop("idempotency", None)
    if claim is None:
        return response
    scoped, digest = claim
    if 200 <= response.status_code < 300:
        store.finish_idempotency(
            key=scoped,
            request_hash=digest,
            status_code=response.status_code,
            body=_stored_body(response),
            now_ms=now_ms(),
            ttl_seconds=_ttl(),
        )
    else:
        store.release_idempotency(scoped)
    return response


def teardown_write(error):
    """A crash mid-request must not leave the key claimed forever."""
    claim = g.pop("idempotency", None)
    if claim is not None:
        store.release_idempotency(claim[0])


__all__ = ["before_write", "after_write", "teardown_write", "exempt", "recorded_in_transaction", "error_response"]

"""Fault injection for drills: a share of DynamoDB calls is throttled, failed, cut off or loses its reply.

A `before-send` handler on the process's one DynamoDB client (backend/db.py attaches it when the client is
built) answers in place of the store: botocore then treats the fake reply exactly like a real one, so its
retry mode, the app's error handling and the idempotency records are exercised as they would be in AWS.
The handler does nothing until `configure` sets a rate above zero, which start-up allows only against
DynamoDB Local or in tests: a real table never sees injected faults.
"""

import contextlib
import json
import random
import threading
from collections import Counter
from dataclasses import dataclass, field

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectionClosedError

# kind -> (HTTP status, DynamoDB error type); None: no reply at all (connection) or a real call whose
# reply is replaced (lost: the write may have committed, the ambiguous case idempotency must absorb).
KINDS = {
    "throttle": (400, "ProvisionedThroughputExceededException"),
    "throttling": (400, "ThrottlingException"),
    "error": (500, "InternalServerError"),
    "unavailable": (503, "ServiceUnavailable"),
    "connection": None,
    "lost": (500, "InternalServerError"),
}
_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn")


@dataclass
class Plan:
    """The share of calls to fail and how; `injected` counts what was done, per kind."""

    rate: float
    kinds: tuple
    operations: frozenset = frozenset()  # empty: every operation
    rng: random.Random = field(default_factory=random.Random)
    injected: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self, operation):
        """The kind of fault for this call, or None to let it through."""
        if self.operations and operation not in self.operations:
            return None
        with self.lock:  # one Random shared by the request threads
            if self.rng.random() >= self.rate:
                return None
            kind = self.rng.choice(self.kinds)
            self.injected[kind] += 1
        return kind


_state = {"plan": None}


def parse_kinds(text):
    """'throttle,error' -> ('throttle', 'error'); an unknown kind fails naming it."""
    kinds = tuple(k.strip() for k in (text or "").split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"FAULT_KINDS: unknown or empty {unknown or text!r}; known: {', '.join(KINDS)}")
    return kinds


def is_real_aws(host):
    """True when the endpoint is AWS itself (unset means the default AWS endpoint)."""
    if not host:
        return True
    name = host.split("://")[-1].split("/")[0].split(":")[0].lower()
    return name.endswith(_AWS_SUFFIXES)


def configure(*, rate, kinds, host, testing, operations=(), seed=None):
    """Set the process's plan from settings; refuse faults against a real table outside tests."""
    if not rate:
        _state["plan"] = None
        return None
    if not 0 < rate <= 1:
        raise RuntimeError(f"cannot start: FAULT_RATE={rate} must be between 0 and 1")
    if is_real_aws(host) and not testing:
        raise RuntimeError("cannot start: FAULT_RATE is set but the store is not DynamoDB Local (nor TESTING)")
    plan = Plan(rate, parse_kinds(kinds) if isinstance(kinds, str) else tuple(kinds), frozenset(operations))
    if seed is not None:
        plan.rng.seed(seed)
    _state["plan"] = plan
    return plan


def current():
    """The plan in force, or None."""
    return _state["plan"]


@contextlib.contextmanager
def injected(rate, kinds="throttle,error,connection", *, operations=(), seed=None):
    """Faults for the duration of a block (tests, benches), then off again."""
    previous = _state["plan"]
    plan = configure(rate=rate, kinds=kinds, host=None, testing=True, operations=operations, seed=seed)
    try:
        yield plan
    finally:
        _state["plan"] = previous


def attach(client):
    """Register the handler on a DynamoDB client's events (inert while no plan is set)."""
    endpoint = client._endpoint  # a lost reply is a real call, sent the way botocore would send it

    def before_send(request, event_name="", **_):
        plan = _state["plan"]
        if plan is None:
            return None
        kind = plan.pick(event_name.rsplit(".", 1)[-1])
        if kind is None:
            return None
        if kind == "connection":
            raise ConnectionClosedError(endpoint_url=request.url)
        if kind == "lost":
            endpoint.http_session.send(request)  # the store applies it; the caller never hears
        status, error_type = KINDS[kind]
        return _reply(request.url, status, error_type)

    client.meta.events.register("before-send.dynamodb", before_send, unique_id="coalhaul-faults")


class _Raw:
    """The little of urllib3's response botocore reads from a reply body."""

    def __init__(self, body):
        self._body = body

    def stream(self, **_):
        yield self._body


def _reply(url, status, error_type):
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{error_type}", "message": "injected fault"})
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "injected-fault"}
    return AWSResponse(url, status, headers, _Raw(body.encode()))

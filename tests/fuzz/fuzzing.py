"""Schema-driven fuzzing of the served API: every operation, a token per role, cases that fit the schema and
cases that break it; a reply must never be a 5xx and must be documented, with the documented body.

Used by tests/fuzz/test_schemathesis.py (a few examples per operation, in the test command) and by
bench/fuzz.py (many, at length).
"""

import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
SHOWN_BODY_CHARS = 500


@dataclass
class Finding:
    """One reply that broke a check, with the exact request that got it."""

    role: str
    operation: str
    status: int
    checks: tuple
    request: str

    def __str__(self):
        return f"[{self.role}] {self.operation} -> {self.status} ({', '.join(self.checks)})\n    {self.request}"


@dataclass
class Tally:
    """Replies per status class and the findings, over a run."""

    statuses: Counter = field(default_factory=Counter)
    findings: list = field(default_factory=list)
    operations: int = 0
    stopped_early: bool = False

    def server_errors(self):
        return [f for f in self.findings if f.status >= 500]

    def summary(self):
        classes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return f"{sum(self.statuses.values())} requests over {self.operations} operations ({classes})"


def audience_of(app):
    """(METHOD, OpenAPI path) -> the roles an operation admits (its access decorator), None for any caller.

    Other roles get a 403 before their input is read (tests/test_role_matrix.py checks that), so cases are
    spent on the callers whose input the operation really parses.
    """
    from backend.common.lazy_routes import load_all

    audience = {}
    for rule in load_all(app).url_map.iter_rules():  # every domain, also those no request has loaded yet
        view = app.view_functions[rule.endpoint]
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        roles = (getattr(view, "access", None) or {}).get("roles")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            audience[(method, path)] = tuple(roles) if roles else None
    return audience


def load(base_url):
    """The served OpenAPI document, with requests sent to the same server."""
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    return schema.configure(base_url=base_url) if hasattr(schema, "configure") else schema


def _shown(response):
    sent = response.request
    body = sent.body.decode("utf-8", "replace") if isinstance(sent.body, bytes) else (sent.body or "")
    headers = {k: v for k, v in sent.headers.items() if k.lower() not in ("authorization", "user-agent")}
    return f"{sent.method} {sent.url} headers={headers} body={body[:SHOWN_BODY_CHARS]!r}"


def _exercise(operation, mode, role, headers_of, base_url, session, tally, max_examples, seed):
    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=seed is None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        headers = dict(headers_of(), **{"Idempotency-Key": uuid.uuid4().hex})
        try:
            response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        except requests.RequestException as error:
            tally.statuses["no reply"] += 1
            tally.findings.append(Finding(role, operation.label, 0, (type(error).__name__,), repr(error)))
            return
        tally.statuses[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            titles = tuple(sorted({failure.title for failure in group.exceptions}))
            tally.findings.append(Finding(role, operation.label, response.status_code, titles, _shown(response)))

    if seed is not None:
        run = settings(derandomize=False)(run)
    try:
        run()
    except Unsatisfiable:
        pass  # nothing to break (an operation without parameters or body has no negative cases)


def fuzz(schema, base_url, roles, *, audience=None, max_examples=3, budget_s=150.0, modes=MODES, seed=None):
    """Run every operation for each role it admits (`audience_of`) within `budget_s` seconds; `roles` maps a
    role to a headers maker."""
    tally, deadline = Tally(), time.monotonic() + budget_s
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            tally.operations += 1
            admitted = (audience or {}).get((operation.method.upper(), operation.path))
            for role, headers_of in roles.items():
                if admitted and role not in admitted:
                    continue
                for mode in modes:
                    if time.monotonic() > deadline:
                        tally.stopped_early = True
                        return tally
                    _exercise(operation, mode, role, headers_of, base_url, session, tally, max_examples, seed)
    return tally

"""Every endpoint in the OpenAPI document declares its audience, and the app enforces it for every role."""

import uuid

import pytest

from backend.common.access import ROLES
from tests.builders import headers_for, make_org, make_user

METHODS = ("get", "post", "put", "patch", "delete")
NOT_API = ("/api/openapi.json", "/api/docs")


def _operations(app):
    """(method, openapi path, flask rule, access) for every API operation the app routes."""
    from backend.common.lazy_routes import load_all

    ops = []
    for rule in load_all(app).url_map.iter_rules():  # every domain, also those no request has loaded yet
        if not rule.rule.startswith("/api/") or rule.rule.startswith(NOT_API):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            ops.append((method.lower(), rule.rule, getattr(view, "access", None)))
    return ops


def _concrete(rule):
    """A concrete URL for a rule: every <param> becomes a value that names nothing."""
    import re

    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: f"nosuch-{m.group(1)}", rule)


@pytest.fixture(scope="module")
def role_headers(app):
    """A real signed-in user for every role, each in its own company or mine."""
    with app.app_context():
        users = {
            "driver": make_user("driver", org_id=make_org("carrier").org_id),
            "carrier": make_user("carrier", org_id=make_org("carrier").org_id),
            "shipper": make_user("shipper", org_id=make_org("shipper").org_id),
            "buyer": make_user("buyer"),
            "gate": make_user("gate", mine_id="mine_hll"),
            "dispatcher": make_user("dispatcher"),
            "admin": make_user("admin"),
        }
        return {role: (lambda user=user: headers_for(user)) for role, user in users.items()}


def test_openapi_document_lists_exactly_the_routed_operations(app, client):
    spec = client.get("/api/openapi.json").json
    documented = {(m, p) for p, item in spec["paths"].items() for m in item if m in METHODS}
    routed = set()
    for method, rule, _ in _operations(app):
        import re

        routed.add((method, re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)))
    assert documented == routed


def test_every_operation_declares_its_audience(app):
    undeclared = [(m, r) for m, r, access in _operations(app) if not access]
    assert undeclared == []


def _call(client, method, url, headers):
    kwargs = {"headers": dict(headers)}
    if method != "get":
        kwargs["json"] = {}
        kwargs["headers"].setdefault("Idempotency-Key", uuid.uuid4().hex)
    return getattr(client, method)(url, **kwargs)


def _cases(app):
    cases = []
    for method, rule, access in _operations(app):
        if access and "roles" in access:
            cases += [(method, rule, role, role in access["roles"]) for role in ROLES]
    return cases


def pytest_generate_tests(metafunc):
    if "role_case" in metafunc.fixturenames:
        import os

        from backend.app import create_app  # collection-time app: routes only, no database calls
        from backend.config import REQUIRED_SECRETS

        for secret in REQUIRED_SECRETS:  # start-up refuses missing ones
            os.environ.setdefault(secret, "collect-only-placeholder")
        cases = _cases(create_app())
        metafunc.parametrize("role_case", cases, ids=[f"{m.upper()} {r} as {role}" for m, r, role, _ in cases])


def test_role_matrix(client, role_headers, role_case):
    method, rule, role, allowed = role_case
    reply = _call(client, method, _concrete(rule), role_headers[role]())
    assert reply.status_code < 500, reply.json
    refused_for_role = reply.status_code == 403 and reply.json["error"]["code"] == "forbidden_role"
    assert refused_for_role != allowed, reply.json


def test_every_protected_operation_needs_credentials(app, client):
    failures = []
    for method, rule, access in _operations(app):
        if access and "public" not in access and "refresh" not in access:
            reply = _call(client, method, _concrete(rule), {})
            if reply.status_code != 401:
                failures.append((method, rule, reply.status_code))
    assert failures == []

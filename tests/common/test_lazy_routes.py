"""Domain routes load on the first request under their prefix (cold start) and answer as a fully loaded app does."""

import threading
import uuid

import pytest

from backend.auth import service as auth_service
from backend.common.clock import now_ms
from backend.common.lazy_routes import load_all
from tests.builders import headers_for, make_user
from tests.orders.helpers import driver_with_truck, make_mine, place_retail

# (method, path, body): a missing token, an unknown path under a domain and outside every domain, a doubled
# slash, a wrong method, a nested prefix (Web Push under appointments), bad input on a write.
REQUESTS = (
    ("GET", "/api/hall", None),
    ("GET", "/api/ledger/nosuch", None),
    ("GET", "/api/nosuch", None),
    ("GET", "/api//hall", None),
    ("DELETE", "/api/hall", None),
    ("GET", "/api/appointments/push/key", None),
    ("POST", "/api/orders/retail", {"tonnage_kg": "many"}),
    ("GET", "/", None),
)


def _fresh_app():
    """An app that loads every domain lazily (none at start)."""
    from backend.app import create_app
    from backend.config import Config

    fresh = create_app(Config(ROUTES_AT_START=""))
    fresh.config["TESTING"] = True
    return fresh


def _routed(app, prefix):
    return any(rule.rule == prefix or rule.rule.startswith(prefix + "/") for rule in app.url_map.iter_rules())


def _reply(app, method, path, body, headers=None):
    with app.app_context():
        headers = {**(headers or {}), "Idempotency-Key": uuid.uuid4().hex}
    reply = app.test_client().open(path, method=method, json=body, headers=headers)
    payload = reply.get_json(silent=True)
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        payload["error"].pop("request_id", None)
    return reply.status_code, reply.headers.get("Location"), payload if payload is not None else len(reply.data)


def test_a_request_loads_the_domain_its_path_names_and_no_other(app):
    fresh = _fresh_app()
    assert not _routed(fresh, "/api/hall") and not _routed(fresh, "/api/ledger")
    status, _, body = _reply(fresh, "GET", "/api/hall", None)
    assert status == 401 and body["error"]["code"]
    assert _routed(fresh, "/api/hall") and not _routed(fresh, "/api/ledger")


@pytest.mark.parametrize("method,path,body", REQUESTS, ids=[f"{m} {p}" for m, p, _ in REQUESTS])
def test_a_lazily_loaded_app_answers_as_a_fully_loaded_one(app, method, path, body):
    with app.app_context():
        buyer = make_user("buyer")
    lazy, loaded = _fresh_app(), load_all(_fresh_app())
    with lazy.app_context():
        headers = headers_for(buyer)
    assert _reply(lazy, method, path, body, headers) == _reply(loaded, method, path, body, headers)


def test_a_disabled_account_cannot_write_in_a_domain_that_loaded_before_auth(app, client):
    with app.app_context():
        driver, truck = driver_with_truck()
        load = place_retail(client, make_user("buyer"), make_mine()).json
    fresh = _fresh_app()
    with fresh.app_context():
        headers = headers_for(driver)
        auth_service.update_user(driver, status="disabled", updated_at=now_ms())
    refused = fresh.test_client().post(
        f"/api/hall/{load['id']}/grab", json={"vehicle_id": truck.vehicle_id}, headers=headers
    )
    assert refused.status_code == 401 and refused.json["error"]["code"] == "token_revoked"
    assert not _routed(fresh, "/api/auth")  # the guard was there although auth's own routes were not


def test_the_openapi_document_does_not_depend_on_the_order_domains_were_loaded_in(app, client):
    expected = client.get("/api/openapi.json").json
    fresh = _fresh_app()
    for path in ("/api/trust/nosuch", "/api/hall", "/api/auth/me"):  # a late domain first, then earlier ones
        fresh.test_client().get(path)
    document = fresh.test_client().get("/api/openapi.json").json
    assert [tag["name"] for tag in document["tags"]] == [tag["name"] for tag in expected["tags"]]
    assert list(document["paths"]) == list(expected["paths"])
    assert document == expected


def test_requests_racing_into_unloaded_domains_are_all_routed(app):
    fresh = _fresh_app()
    paths = ["/api/hall", "/api/waybills", "/api/ledger/statements", "/api/trust/me", "/api/inbox"] * 4
    statuses, start = [], threading.Barrier(len(paths))

    def call(path):
        client = fresh.test_client()
        start.wait()
        statuses.append(client.get(path).status_code)

    threads = [threading.Thread(target=call, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(statuses)) == [401]  # every one reached its view's token check: none fell through to 404


def test_the_prefixes_named_to_load_at_start_are_routed_before_any_request(app):
    from backend.app import create_app
    from backend.config import Config

    started = create_app(Config(ROUTES_AT_START="/api/hall, /api/auth"))
    assert _routed(started, "/api/hall") and _routed(started, "/api/auth")
    assert not _routed(started, "/api/ledger") and not _routed(started, "/api/dispatch")

"""A container prepares its DynamoDB client's operations and reads the session cut-offs while it starts."""

import threading

from backend import db
from backend.auth import revocations
from backend.auth import store as auth_store
from backend.auth.models import User
from backend.common import client_priming, dynamodb_session
from tests.builders import make_user

CLOSED_PORT = "http://127.0.0.1:9"


def _closed_port_client():
    session = dynamodb_session.new_session(access_key_id="AKIDPRIMING", secret_access_key="secret")
    return session.create_client("dynamodb", region_name="cn-north-1", endpoint_url=CLOSED_PORT)


def test_every_operation_is_primed_without_the_network():
    client = _closed_port_client()  # any request that left the process would fail: nothing listens there
    assert client_priming.prime(client) == list(client_priming.OPERATIONS)


def test_after_priming_requests_reach_the_store(app):
    with app.app_context():
        user_id = make_user("driver", name="p").user_id
        client = db.connection().client
        assert client_priming.prime(client) == list(client_priming.OPERATIONS)
        assert User.get(user_id).name == "p"  # a real read, not the priming's empty reply


def test_another_threads_request_goes_to_the_store_while_priming_runs(app, monkeypatch):
    with app.app_context():
        user_id = make_user("driver", name="q").user_id
        client = db.connection().client
    seen = []

    def read_from_another_thread(**_):
        if seen:
            return
        seen.append(None)
        reader = threading.Thread(target=lambda: seen.append(User.get(user_id).name))
        reader.start()
        reader.join()  # while the priming thread's local answer is installed

    client.meta.events.register("before-call.dynamodb.GetItem", read_from_another_thread, unique_id="test-reader")
    try:
        monkeypatch.setattr(client_priming, "OPERATIONS", {"get_item": client_priming.OPERATIONS["get_item"]})
        assert client_priming.prime(client) == ["get_item"]
    finally:
        client.meta.events.unregister("before-call.dynamodb.GetItem", unique_id="test-reader")
    assert seen == [None, "q"]


def test_a_failing_operation_does_not_stop_the_start(monkeypatch):
    operations = dict(client_priming.OPERATIONS, no_such_operation={})
    monkeypatch.setattr(client_priming, "OPERATIONS", operations)
    primed = client_priming.prime(_closed_port_client())
    assert "no_such_operation" not in primed and "get_item" in primed


def test_the_cutoffs_read_at_start_spare_the_first_request_its_read(app, monkeypatch):
    reads = []
    read = auth_store.cutoffs_since
    monkeypatch.setattr(
        auth_store, "cutoffs_since", lambda since_ms: reads.append(threading.get_ident()) or read(since_ms)
    )
    revocations._cache["fetched"] = None
    thread = revocations.prefetch_in_background(app)
    thread.join(timeout=30)
    with app.app_context():
        assert revocations.access_revoked({"sub": "u_nobody", "iat": 1}) is False
    assert reads == [thread.ident]  # read once, by the start-up thread; the request found it fresh


def test_when_the_store_is_unreachable_at_start_the_first_request_reads(app, monkeypatch):
    def unreachable(since_ms):
        raise ConnectionError("no store yet")

    revocations._cache["fetched"] = None
    monkeypatch.setattr(auth_store, "cutoffs_since", unreachable)
    revocations.prefetch_in_background(app).join(timeout=30)
    assert revocations._cache["fetched"] is None
    monkeypatch.undo()
    with app.app_context():
        assert revocations.access_revoked({"sub": "u_nobody", "iat": 1}) is False
    assert revocations._cache["fetched"] is not None


def test_no_prefetch_when_revocation_is_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "REVOCATION_POLL_SECONDS", -1)
    assert revocations.prefetch_in_background(app) is None


def test_the_start_hook_runs_once_the_tables_are_bound_before_the_routes_load(app):
    from backend.app import create_app
    from backend.config import Config

    seen = []

    def on_store_bound(started):
        seen.append((started, "lazy_routes" in started.extensions, db.connection() is not None))

    built = create_app(Config(), on_store_bound=on_store_bound)
    assert seen == [(built, False, True)]

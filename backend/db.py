"""Binds the PynamoDB models to one shared connection for the configured endpoint, region and table prefix."""

import json
import logging
import os
import tempfile
import threading
import time

from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

from backend.common import dynamodb_session, faults
from backend.config import setting

# Enough pooled HTTP connections for the concurrency tests and a busy Lambda container.
MAX_POOL_CONNECTIONS = 64
log = logging.getLogger(__name__)
_state = {"connection": None, "key": None, "prefix": None}
_bind_lock = threading.Lock()
# Every table model defined in this process, in order (backend/common/table_model.py adds each as its class is
# made). A domain loaded on its first request defines its models then: they bind to the current store as made.
_defined = []


class SharedConnection(Connection):
    """One botocore session and client for every model and transaction, built once under a lock.

    PynamoDB would give each model its own Connection, each building a session and a client on first use
    without a lock: eight models cost ~1.4 s on a container's first request and racing threads built dozens.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._client_lock = threading.Lock()

    @property
    def session(self):
        """The botocore session (one per thread, as PynamoDB keeps it) with only DynamoDB's event handlers,
        botocore's data files read the quick way and item replies as plain JSON
        (backend/common/dynamodb_session.py, botocore_data.py, dynamo_parser.py)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = dynamodb_session.new_session(
                access_key_id=self._aws_access_key_id,
                secret_access_key=self._aws_secret_access_key,
                session_token=self._aws_session_token,
            )
        return session

    @property
    def client(self):
        client = self._client
        if client is not None and _has_credentials(client):
            return client
        with self._client_lock:
            # PynamoDB's own property builds the client (and rebuilds one that cached empty credentials).
            built = Connection.client.fget(self)
            if built is not client:
                faults.attach(built)  # inert unless a drill set FAULT_RATE (see configure_faults)
            return built


def _has_credentials(client):
    signer = client._request_signer
    return not signer or bool(signer._credentials)


def bind_models(models, *, host, region, prefix):
    """Point every model at one endpoint through the shared connection; rebinding the same endpoint keeps it.

    Table models defined later in the process (a domain's first request) are bound to the same endpoint as they
    are defined (`table_defined`)."""
    with _bind_lock:
        if _state["key"] != (host, region):
            _state["connection"] = SharedConnection(
                region=region, host=host, max_pool_connections=MAX_POOL_CONNECTIONS, retry_configuration=retries()
            )
            _state["key"] = (host, region)
        _state["prefix"] = prefix
        for model in models:
            _bind(model)


def bind_tables(*, host, region, prefix):
    """Bind every table model defined so far, and (as they are defined) every later one: the app's binding."""
    bind_models(list(_defined), host=host, region=region, prefix=prefix)


def defined_tables():
    """The table models this process has defined so far (not every table: domains load on first use)."""
    return list(_defined)


def table_defined(model):
    """A table model's class was just made (backend/common/table_model.py): bound now if the store is known."""
    with _bind_lock:
        _defined.append(model)
        if _state["connection"] is not None:
            _bind(model)


def _bind(model):
    host, region = _state["key"]
    meta = model.Meta
    if not hasattr(meta, "base_table_name"):
        meta.base_table_name = meta.table_name
    meta.table_name = _state["prefix"] + meta.base_table_name
    meta.host = host
    meta.region = region
    meta.max_pool_connections = MAX_POOL_CONNECTIONS
    model._connection = None
    # PynamoDB builds the table's schema description (no client yet); the table then talks through the
    # shared connection, which learns the schema (replaced on a rebind).
    shared = _state["connection"]
    table = model._get_connection()
    shared._tables[meta.table_name] = table.get_meta_table()
    table.connection = shared


def retries():
    """botocore's retry mode for the shared client: throttles, 5xx and dropped connections are retried with
    capped exponential backoff and full jitter (standard), or also paced client-side (adaptive).

    A retried TransactWriteItems is sent with the same ClientRequestToken (botocore fills the token once per
    call, before its retry loop), so DynamoDB applies it at most once within 10 minutes; our transactions are
    also conditional on state/version and carry the Idempotency-Key's record, so even a retry after the
    token's window cannot apply twice.
    """
    return {"mode": setting("DYNAMODB_RETRY_MODE"), "total_max_attempts": setting("DYNAMODB_MAX_ATTEMPTS")}


def configure_faults(config):
    """Start-up: switch fault injection on or off for this process (refused against a real table)."""
    faults.configure(
        rate=config.FAULT_RATE, kinds=config.FAULT_KINDS, host=config.DYNAMODB_HOST, testing=config.TESTING
    )


def connection():
    """The shared connection (its `.client` is the process's one DynamoDB client)."""
    return _state["connection"]


def warm_up():
    """Build the shared client now (container start-up) rather than inside the first request."""
    return _state["connection"].client


def transaction(client_request_token=None):
    """A TransactWrite on the shared connection (PynamoDB would otherwise build one with its defaults)."""
    return TransactWrite(connection=_state["connection"], client_request_token=client_request_token)


def create_tables(models):
    """Create missing tables (on-demand billing); PynamoDB also switches on each model's TTL.

    Local stores only (the dev server, tests, benches): in AWS the tables are infra/coalhaul.yaml's."""
    for model in models:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        else:
            _reconcile_indexes(model)


def _reconcile_indexes(model):
    """A table kept from an earlier run (a local -dbPath) follows its model's indexes: the GSIs the model gained,
    and any whose projection changed (DynamoDB cannot change a projection in place).

    DynamoDB Local does not reliably drop an index of a table it keeps (one of the waybills table's thirteen stayed
    DELETING for good, across restarts), so a changed projection rebuilds the table with its items instead."""
    schema = model._get_schema()
    existing = {i["IndexName"]: i for i in model.describe_table().get("GlobalSecondaryIndexes", [])}
    wanted = schema["global_secondary_indexes"]
    if any(
        i["index_name"] in existing and not _same_projection(existing[i["index_name"]]["Projection"], i["projection"])
        for i in wanted
    ):
        _rebuild_table(model)
        return
    client = model._get_connection().connection.client
    for index in wanted:
        if index["index_name"] in existing:
            continue
        client.update_table(
            TableName=model.Meta.table_name,
            AttributeDefinitions=index["attribute_definitions"],
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": index["index_name"],
                        "Projection": index["projection"],
                        "KeySchema": sorted(index["key_schema"], key=lambda k: k["KeyType"] != "HASH"),
                    }
                }
            ],
        )


def _rebuild_table(model):
    """Make a kept local table again from its model, with the same items (a dev store: a few thousand at most).

    The items are written to a file first (its path logged), so a run stopped half-way loses nothing."""
    client = model._get_connection().connection.client
    name = model.Meta.table_name
    items = [item for page in client.get_paginator("scan").paginate(TableName=name) for item in page["Items"]]
    handle, backup = tempfile.mkstemp(prefix=f"{name}-", suffix=".json")
    with os.fdopen(handle, "w") as file:
        json.dump(items, file)
    log.warning(
        "rebuilding local table %s for its model's indexes; its %d items are kept in %s", name, len(items), backup
    )
    model.delete_table()
    _wait_until_gone(model)
    model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
    for start in range(0, len(items), 25):
        request = {name: [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]}
        while request:
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
    os.remove(backup)


def _same_projection(stored, wanted):
    def attributes(projection):
        return projection.get("ProjectionType"), sorted(projection.get("NonKeyAttributes", []))

    return attributes(stored) == attributes(wanted)


def _wait_until_gone(model, attempts=300):
    for _ in range(attempts):
        if not model.exists():
            return
        time.sleep(0.1)
    raise RuntimeError(f"table {model.Meta.table_name} is still there after {attempts / 10:.0f} s")

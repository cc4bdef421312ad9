"""The demo world is plausible and loading it twice changes nothing."""

import contextlib
import threading

import botocore.client
import pytest

from backend.catalogue.models import Mine
from backend.common.clock import now_ms
from backend.seed.load import load_demo
from backend.tables import ALL_MODELS

pytestmark = pytest.mark.usefixtures("app")


WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


def snapshot():
    # A scan is fine here: a test comparing whole tables, never a request path.
    return {
        model.Meta.table_name: sorted(str(item.attribute_values) for item in model.scan())
        for model in ALL_MODELS
        if model.Meta.base_table_name not in ("idempotency", "counters")
    }


@contextlib.contextmanager
def tables_written():
    """The tables this thread writes to inside the block (every write the loader sends, whatever it changes)."""
    written, original, me = set(), botocore.client.BaseClient._make_api_call, threading.get_ident()

    def watching(client, operation, params):
        if operation in WRITES and threading.get_ident() == me:
            written.update(_table_names(params))
        return original(client, operation, params)

    botocore.client.BaseClient._make_api_call = watching
    try:
        yield written
    finally:
        botocore.client.BaseClient._make_api_call = original


def _table_names(params):
    if "TableName" in params:
        return {params["TableName"]}
    if "RequestItems" in params:
        return set(params["RequestItems"])
    return {op["TableName"] for item in params.get("TransactItems", []) for op in item.values()}


def test_loading_twice_changes_nothing():
    # Compared only where the loader writes: other servers of the run (the live test server's scheduler and
    # stream poller, its SMS sender) keep writing their own tables meanwhile, e.g. SMS rate budgets.
    # Both loads at the same instant: the session's own load may be from the day before (a run crossing midnight
    # in Shanghai), and a new day rightly brings the new day's windows.
    now = now_ms()
    load_demo(now)
    before = snapshot()
    with tables_written() as written:
        load_demo(now)
    after = snapshot()
    assert written, "the loader wrote nothing: it would not show a change either"
    assert {table: after[table] for table in written if table in after} == {
        table: before[table] for table in written if table in before
    }


def test_mines_are_near_shenmu_with_gate_and_parking_polygons():
    from shapely.geometry import Point, shape

    from backend.seed.demo_data import MINES

    mines = {m["mine_id"]: Mine.get(m["mine_id"]) for m in MINES}
    assert {m.name for m in mines.values()} >= {"红柳林煤矿", "柠条塔煤矿", "小保当煤矿"}
    for mine in mines.values():
        lon, lat = mine.location["coordinates"]
        assert 109.5 < lon < 110.8 and 38.6 < lat < 39.3  # Shenmu, Yulin, Shaanxi
        gate, parking = shape(mine.gate_fence), shape(mine.parking_fence)
        assert gate.is_valid and parking.is_valid and gate.contains(Point(lon, lat))
        assert not gate.intersects(parking)


def test_demo_login_works_for_every_role(client):
    from backend.seed.demo_data import DEMO_PASSWORD, USERS

    roles = {}
    for _, phone, _, role, _, _ in USERS:
        roles.setdefault(role, phone)
    for role, phone in roles.items():
        reply = client.post("/api/auth/login", json={"phone": phone, "password": DEMO_PASSWORD})
        assert reply.status_code == 200 and reply.json["user"]["role"] == role

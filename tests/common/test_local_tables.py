"""A local store kept between runs (the dev server's -dbPath) follows the models: `db.create_tables` adds the
indexes a model gained, and makes a table whose index projection changed again with its items (DynamoDB Local
does not reliably drop an index of a kept table)."""

import time
import uuid

import pytest
from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection

from backend import db
from backend.common.table_model import Model
from backend.localstore.dynamodb_local import DynamoDBLocal


@pytest.fixture(scope="module")
def kept_store(dynamodb):
    """A DynamoDB Local of its own: the session's store, busy with every table, leaves a changed index CREATING
    or DELETING for longer than a test waits, where a store with a few tables settles it in a second."""
    store = DynamoDBLocal().start()
    yield store
    store.stop()


def _model(store, table_name, projected, *, with_index=True):
    """A throwaway table model: key, a `group` index projecting `projected`, two plain attributes."""

    class ByGroup(GlobalSecondaryIndex):
        class Meta:
            index_name = "by_group"
            projection = IncludeProjection(projected)

        group = UnicodeAttribute(hash_key=True)

    attributes = {
        "Meta": type("Meta", (), {"table_name": table_name}),
        "key": UnicodeAttribute(hash_key=True),
        "group": UnicodeAttribute(null=True),
        "colour": UnicodeAttribute(null=True),
        "size": UnicodeAttribute(null=True),
    }
    if with_index:
        attributes["by_group"] = ByGroup()
    model = type("KeptTable", (Model,), attributes)
    db._defined.remove(model)  # a test's table, not one of the app's: on a store of its own
    model.Meta.host, model._connection = store.endpoint, None
    return model


def _projected(model):
    (index,) = model.describe_table()["GlobalSecondaryIndexes"]
    return sorted(index["Projection"].get("NonKeyAttributes", []))


def _until_active(model):
    for _ in range(100):
        if model.describe_table()["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE":
            return
        time.sleep(0.1)
    raise AssertionError("the index did not become active")


def test_a_kept_table_gains_the_index_its_model_gained(kept_store):
    name = f"kept_{uuid.uuid4().hex[:8]}"
    bare = _model(kept_store, name, ["colour"], with_index=False)
    db.create_tables([bare])
    try:
        bare(key="k1", group="g", colour="red", size="L").save()
        grown = _model(kept_store, name, ["colour"])
        db.create_tables([grown])  # the store builds it over the items already there
        assert _projected(grown) == ["colour"]
        _until_active(grown)
        assert [(r.key, r.colour) for r in grown.by_group.query("g")] == [("k1", "red")]
    finally:
        bare.delete_table()


def test_a_kept_index_whose_projection_widened_is_rebuilt(kept_store):
    name = f"kept_{uuid.uuid4().hex[:8]}"
    narrow = _model(kept_store, name, ["colour"])
    db.create_tables([narrow])
    try:
        narrow(key="k1", group="g", colour="red", size="L").save()
        for n in range(30):  # more than one BatchWriteItem's worth
            narrow(key=f"other{n}", group="h", colour="blue").save()
        assert [(r.colour, r.size) for r in narrow.by_group.query("g")] == [("red", None)]

        wide = _model(kept_store, name, ["colour", "size"])
        db.create_tables([wide])  # the table made again from the model, with its items
        assert _projected(wide) == ["colour", "size"]
        _until_active(wide)
        assert [(r.colour, r.size) for r in wide.by_group.query("g")] == [("red", "L")]
        index_arn = wide.describe_table()["GlobalSecondaryIndexes"][0]["IndexArn"]
        assert wide.get("k1").size == "L" and wide.count() == 31  # no item lost

        db.create_tables([wide])  # the same projection again: nothing rebuilt
        assert wide.describe_table()["GlobalSecondaryIndexes"][0]["IndexArn"] == index_arn
    finally:
        narrow.delete_table()

"""Table models bind themselves as they are defined (backend/common/table_model.py): the app's start builds only
the models of the routes it loads, a domain's models bind in its first request, and backend/tables.py still
lists every table there is."""

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model as PynamoModel

from backend import db
from backend.common.table_model import Model
from backend.tables import ALL_MODELS
from tests.fresh_process import run_check


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_table_model_is_defined_through_the_binding_base_and_listed_in_tables(app):
    app.extensions["lazy_routes"].load_all()
    tables = {m for m in _all_subclasses(PynamoModel) if m is not Model and "Meta" in vars(m)}
    stray = {m.__name__ for m in tables if not issubclass(m, Model)}
    assert not stray, f"models bypassing backend.common.table_model: {stray}"
    assert set(ALL_MODELS) <= set(db.defined_tables())
    assert {m for m in tables if m in set(db.defined_tables())} == set(ALL_MODELS)


def test_a_model_defined_after_the_app_binds_to_its_store_at_once(app):
    class LateTable(Model):
        class Meta:
            table_name = "late_table_for_a_test"

        key = UnicodeAttribute(hash_key=True)

    try:
        assert LateTable.Meta.table_name == app.config["TABLE_PREFIX"] + "late_table_for_a_test"
        assert LateTable.Meta.host == app.config["DYNAMODB_HOST"]
        assert LateTable._get_connection().connection is db.connection()
        assert LateTable in db.defined_tables()
    finally:
        db._defined.remove(LateTable)


START_CHECK = """
import sys
import backend.wsgi
from backend import db
started = len(db.defined_tables())
from backend.tables import ALL_MODELS
assert 0 < started < len(ALL_MODELS), (started, len(ALL_MODELS))
assert all(m.Meta.table_name.startswith("lazy-") for m in ALL_MODELS)  # bound as backend.tables defined them
print("ok", started, len(ALL_MODELS))
"""


def test_the_app_starts_without_building_every_table_model():
    run_check(START_CHECK, TABLE_PREFIX="lazy-")

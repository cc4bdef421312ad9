"""Every model and transaction shares one DynamoDB client per process, built once even when threads race for it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import botocore.session
import pytest

from backend import db
from backend.auth.models import User
from backend.tables import ALL_MODELS

RACERS = 16


@pytest.fixture
def client_count(monkeypatch):
    """How many botocore clients were built since the fixture started."""
    built = []
    create_client = botocore.session.Session.create_client

    def counting(self, *args, **kwargs):
        built.append(args[0] if args else kwargs.get("service_name"))
        return create_client(self, *args, **kwargs)

    monkeypatch.setattr(botocore.session.Session, "create_client", counting)
    return built


def _bind(app, region):
    db.bind_models(ALL_MODELS, host=app.config["DYNAMODB_HOST"], region=region, prefix=app.config["TABLE_PREFIX"])


@pytest.fixture
def fresh_binding(app):
    """The models bound anew (another region name: DynamoDB Local shares one store across regions), so no client
    exists yet; the app's own binding is restored afterwards."""
    _bind(app, "us-west-2")
    yield
    _bind(app, app.config["AWS_REGION"])


def test_racing_first_calls_on_different_models_build_one_client(app, fresh_binding, client_count):
    models = ALL_MODELS[:RACERS]
    start = threading.Barrier(len(models))

    def first_call(model):
        start.wait()
        model.describe_table()
        return model._get_connection().connection.client

    with ThreadPoolExecutor(len(models)) as pool:
        clients = list(pool.map(first_call, models))
    assert client_count == ["dynamodb"]
    assert all(c is clients[0] for c in clients)
    assert db.transaction()._connection.client is clients[0]


def test_rebinding_the_same_endpoint_keeps_the_client(app, client_count):
    before = ALL_MODELS[0]._get_connection().connection.client
    client_count.clear()
    _bind(app, app.config["AWS_REGION"])
    after = [model._get_connection().connection.client for model in ALL_MODELS]
    assert client_count == []
    assert all(c is before for c in after)
    assert User.count("u_drv_1") == 1  # the rebound models still read their tables (a demo driver)

"""The DynamoDB-only botocore session fires exactly the handlers a full botocore session would, for every event a
DynamoDB client emits, and the app's client is built from it."""

import botocore.session
import pytest
from botocore import handlers, hooks

from backend import db
from backend.auth.models import User
from backend.common import dynamodb_session
from backend.common.ids import new_id
from tests.builders import make_user

# Every kind of event botocore emits for a client's operation (botocore/client.py, endpoint.py, retries,
# signers, paginators, waiters), and the ones emitted per client or per service.
OPERATION_EVENTS = (
    "provide-client-params",
    "before-parameter-build",
    "before-endpoint-resolution",
    "before-call",
    "request-created",
    "choose-signer",
    "before-sign",
    "before-send",
    "response-received",
    "needs-retry",
    "after-call",
    "after-call-error",
    "before-retry",
)
SERVICE_EVENTS = (
    "choose-service-name",
    "creating-client-class.dynamodb",
    "service-data-loaded.dynamodb",
    "client-created.dynamodb",
    "before-endpoint-resolution.dynamodb",
    "getattr.dynamodb.meta",
)


def _handlers(session, event_name):
    """The handlers, in calling order, that `event_name` would reach in this session's emitter."""
    emitter = session.get_component("event_emitter")
    inner = getattr(emitter, "_emitter", emitter)
    return list(inner._handlers.prefix_search(event_name))


def _operations():
    service = botocore.session.get_session().get_service_model("dynamodb")
    return list(service.operation_names)


@pytest.fixture
def emitted(monkeypatch):
    """Event names the app's client really emits while it works (recorded at botocore's emitter)."""
    names = set()
    emit = hooks.HierarchicalEmitter._emit

    def recording(self, event_name, kwargs, stop_on_response=False):
        names.add(event_name)
        return emit(self, event_name, kwargs, stop_on_response)

    monkeypatch.setattr(hooks.HierarchicalEmitter, "_emit", recording)
    return names


def test_only_events_that_can_reach_dynamodb_are_kept():
    assert dynamodb_session.applies_to_dynamodb("before-call")
    assert dynamodb_session.applies_to_dynamodb("before-parameter-build.dynamodb.Query")
    assert dynamodb_session.applies_to_dynamodb("needs-retry.*.GetItem")
    assert not dynamodb_session.applies_to_dynamodb("before-call.s3")
    assert not dynamodb_session.applies_to_dynamodb("before-parameter-build.s3.PutObject")
    assert not dynamodb_session.applies_to_dynamodb("docs.*.dynamodb.Query.complete-section")
    assert 0 < len(dynamodb_session.dynamodb_handlers()) < len(handlers.BUILTIN_HANDLERS)


def test_every_dynamodb_event_reaches_the_same_handlers_as_a_full_session(app, emitted):
    # Work against the store first, so the events the client really emits are in the comparison too.
    with app.app_context():
        user_id = make_user("driver").user_id
        User.get(user_id).save()
        list(User.query(user_id))
        list(User.batch_get([user_id, new_id("u")]))
        with db.transaction() as tx:
            tx.update(User(user_id), actions=[User.name.set("y")], condition=User.user_id.exists())
        User(user_id).delete()
    names = set(emitted) | set(SERVICE_EVENTS)
    names |= {f"{event}.dynamodb.{operation}" for event in OPERATION_EVENTS for operation in _operations()}
    assert any(name.startswith("before-call.dynamodb.") for name in emitted)

    full, lean = botocore.session.get_session(), dynamodb_session.new_session()
    reached = 0
    for name in sorted(names):
        expected = _handlers(full, name)
        assert _handlers(lean, name) == expected, name
        reached += bool(expected)
    assert reached > 100  # the built-in handlers that do apply were compared, not just empty lists


def test_the_apps_client_is_built_from_the_dynamodb_session(app):
    full = botocore.session.get_session()
    with app.app_context():
        session = db.connection().session
    assert _handlers(session, "before-call.dynamodb.Query") == _handlers(full, "before-call.dynamodb.Query")
    # S3's own handlers are not there: an S3 event reaches only the handlers every service gets.
    s3_event, generic_event = "before-parameter-build.s3.PutObject", "before-parameter-build.dynamodb.PutItem"
    assert len(_handlers(full, s3_event)) > len(_handlers(full, generic_event))
    assert _handlers(session, s3_event) == _handlers(session, generic_event)


def test_credentials_given_are_the_sessions():
    session = dynamodb_session.new_session(access_key_id="AKIDEXAMPLE", secret_access_key="secret", session_token="t")
    credentials = session.get_credentials()
    assert (credentials.access_key, credentials.secret_key, credentials.token) == ("AKIDEXAMPLE", "secret", "t")


def _sent(session, region, **client_kwargs):
    """(URL, signing scope) of a GetItem as this session's client sends it in `region` (answered locally)."""
    from botocore.awsrequest import AWSResponse

    class Body:
        def stream(self, **_):
            yield b"{}"

    seen = {}

    def answer(request, **_):
        seen["url"] = request.url
        credential = request.headers["Authorization"].decode().split("Credential=")[1].split(",")[0]
        seen["scope"] = credential.split("/")[2:4]  # region, service
        return AWSResponse(request.url, 200, {"Content-Type": "application/x-amz-json-1.0"}, Body())

    client = session.create_client(
        "dynamodb", region, aws_access_key_id="AKIDTEST", aws_secret_access_key="secret", **client_kwargs
    )
    client.meta.events.register_first("before-send.dynamodb", answer)
    client.get_item(TableName="t", Key={"k": {"S": "v"}})
    return seen["url"], seen["scope"]


def _dynamodb_regions():
    """Every region botocore's endpoints.json lists for DynamoDB, in every partition."""
    data = botocore.session.get_session().get_component("data_loader").load_data("endpoints")
    return sorted(
        region
        for partition in data["partitions"]
        for region in partition["services"].get("dynamodb", {}).get("endpoints", {})
        if "fips" not in region and region != "local"
    )


def test_requests_go_where_a_full_session_sends_them_signed_the_same_without_endpoints_json():
    regions = _dynamodb_regions()
    assert {"cn-north-1", "cn-northwest-1", "ap-east-1", "us-east-1", "us-gov-west-1"} <= set(regions)
    full = botocore.session.get_session()
    for region in [*regions, "xx-unknown-1"]:
        ours = dynamodb_session.new_session()
        assert _sent(ours, region) == _sent(full, region), region
        assert _sent(ours, region, endpoint_url="http://127.0.0.1:8000") == _sent(
            full, region, endpoint_url="http://127.0.0.1:8000"
        )
    assert "endpoints" not in _data_read(dynamodb_session.new_session())
    assert "endpoints" in _data_read(botocore.session.Session())  # what the check above would see


def _data_read(session):
    """The names of botocore's data files a session reads to build a client and send a request."""
    names, loader = [], session.get_component("data_loader")
    for method in ("load_data", "load_data_with_path"):
        original = getattr(loader, method)
        setattr(loader, method, lambda name, _original=original: names.append(name) or _original(name))
    _sent(session, "cn-north-1")
    return names

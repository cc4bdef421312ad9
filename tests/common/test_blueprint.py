"""The OpenAPI description is made when the document is first built, not while the app starts."""

import marshmallow

from backend.app import create_app
from backend.common.blueprint import Blueprint
from backend.config import Config
from backend.extensions import api


class _Args(marshmallow.Schema):
    name = marshmallow.fields.String(required=True)


def test_a_views_documentation_is_stored_when_the_blueprint_is_described():
    blp = Blueprint("probe", __name__, url_prefix="/probe")

    @blp.route("/x", methods=["POST"])
    @blp.arguments(_Args())
    @blp.response(200, _Args)
    def probe(args):
        """Probe summary."""
        return args

    assert blp._docs == {}
    blp._document_views()
    doc = blp._docs["probe"]["post"]
    assert doc["docstring"]["summary"] == "Probe summary."
    assert doc["arguments"]["parameters"][0]["schema"] is not probe._apidoc["arguments"]["parameters"][0]["schema"]
    blp._document_views()  # once only
    assert list(blp._docs) == ["probe"]


def test_the_app_starts_without_an_apispec_and_the_document_has_everything(app):
    fresh = create_app(Config())
    assert api._spec is None  # nothing described yet
    with fresh.app_context():
        document = fresh.test_client().get("/api/openapi.json").json
    assert set(document["components"]["securitySchemes"]) == {"bearerAuth", "deviceHmac"}
    assert "/api/hall" in document["paths"] and "/api/dispatch/quotas" in document["paths"]


def test_an_arguments_schema_is_made_once_not_per_request():
    import flask
    import flask_smorest

    made = []

    class Counted(_Args):
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)

    app = flask.Flask("probe")
    app.config.update(API_TITLE="probe", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    blp = Blueprint("counted", __name__, url_prefix="/counted")

    @blp.route("", methods=["POST"])
    @blp.arguments(Counted)
    @blp.response(200, _Args)
    def counted(args):
        return args

    flask_smorest.Api(app).register_blueprint(blp)
    made_at_start = len(made)
    client = app.test_client()
    replies = [client.post("/counted", json={"name": f"n{i}"}) for i in range(3)]
    assert [r.json for r in replies] == [{"name": "n0"}, {"name": "n1"}, {"name": "n2"}]
    assert client.post("/counted", json={}).status_code == 422  # still validated
    assert len(made) == made_at_start == 1

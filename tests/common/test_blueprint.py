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

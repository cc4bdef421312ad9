"""The OpenAPI document is generated from the code, validates, and is browsable."""

from openapi_spec_validator import validate


def test_openapi_document_validates(client):
    spec = client.get("/api/openapi.json").json
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_protected_operations_document_their_security(client):
    spec = client.get("/api/openapi.json").json
    me = spec["paths"]["/api/auth/me"]["get"]
    assert me["security"] == [{"bearerAuth": []}]
    assert "security" not in spec["paths"]["/api/auth/login"]["post"]


def test_docs_page_is_served_with_local_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and b"swagger" in page.data.lower()
    assert b"/vendor/swagger-ui-dist/" in page.data
    assert client.get("/vendor/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


def test_errors_share_one_shape_with_a_request_id(client):
    reply = client.get("/api/nowhere")
    assert reply.status_code == 404
    assert set(reply.json["error"]) >= {"code", "message", "details"}
    assert reply.headers["X-Request-Id"]


def test_caller_request_id_is_echoed(client):
    reply = client.get("/api/auth/me", headers={"X-Request-Id": "trace-abc-123"})
    assert reply.headers["X-Request-Id"] == "trace-abc-123"

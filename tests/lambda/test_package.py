"""The built Lambda zip answers API Gateway v1 proxy events and scheduled events as AWS Lambda would run it."""

import base64
import json
import os
import random
import uuid
import zipfile

import pytest

from backend.seed.demo_data import DEMO_PASSWORD

pytestmark = pytest.mark.slow

DEMO_BUYER_PHONE = "13700000002"  # 大柳塔镇供暖站 刘站长 in the demo data
API_HOST = "abc123defg.execute-api.ap-east-1.amazonaws.com"
JOBS = ("backend.jobs.compute_quotas", "backend.jobs.open_slots", "backend.jobs.expire_no_shows")


def api_event(method, path, *, headers=None, body=None, query=None):
    """An API Gateway REST (v1) proxy event for resource /{proxy+} on stage dev."""
    headers = {
        "Host": API_HOST,
        "Accept": "application/json",
        "X-Forwarded-Proto": "https",
        "User-Agent": "Mozilla/5.0 (Linux; Android 13; Pixel 7)",
        **(headers or {}),
    }
    if body is not None:
        headers["Content-Type"] = "application/json"
    source_ip = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": ({k: [v] for k, v in query.items()} if query else None),
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": "/dev" + path,
            "stage": "dev",
            "requestId": str(uuid.uuid4()),
            "accountId": "123456789012",
            "apiId": "abc123defg",
            "domainName": API_HOST,
            "identity": {"sourceIp": source_ip, "userAgent": headers["User-Agent"]},
        },
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


def scheduled_event(function):
    """What EventBridge sends for Zappa's rule `<project>-<stage>-<module.function>`."""
    rule = f"arn:aws:events:ap-east-1:123456789012:rule/coalhaul-dev-{function}"
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2026-11-21T21:00:00Z",
        "region": "ap-east-1",
        "resources": [rule],
        "detail": {},
    }


def body_of(reply):
    raw = reply["body"]
    return base64.b64decode(raw).decode() if reply.get("isBase64Encoded") else raw


def header(reply, name):
    headers = {k.lower(): v for k, v in (reply.get("headers") or {}).items()}
    multi = {k.lower(): v[0] for k, v in (reply.get("multiValueHeaders") or {}).items()}
    return headers.get(name.lower()) or multi.get(name.lower())


@pytest.fixture(scope="module")
def warm_container(invoke_lambda):
    """Login in one container; then, in another, the authenticated read, the same read without a token,
    the PWA shell and a vendor file — each reply as the handler returned it."""
    login = api_event("POST", "/api/auth/login", body={"phone": DEMO_BUYER_PHONE, "password": DEMO_PASSWORD})
    first, _ = invoke_lambda([login])
    token = json.loads(body_of(first[0]["result"]))["access_token"]
    events = [
        api_event("GET", "/api/auth/me", headers={"Authorization": f"Bearer {token}"}),
        api_event("GET", "/api/auth/me"),
        api_event("GET", "/"),
        api_event("GET", "/vendor/idb/build/index.js", headers={"Accept": "*/*"}),
    ]
    results, _ = invoke_lambda(events)
    return [first[0]["result"]] + [r["result"] for r in results[:-1]], results[-1]


@pytest.fixture(scope="module")
def job_runs(invoke_lambda):
    """The three scheduled rules and one direct command, handled by one container."""
    events = [scheduled_event(job) for job in JOBS] + [{"command": "backend.jobs.open_slots"}]
    # Zappa calls score(event) when score(event, context) does not fit: the event is the (empty) feature dict,
    # so the packaged numpy, onnxruntime and model file must all load.
    events.append({"command": "backend.risk.model.score"})
    results, log = invoke_lambda(events)
    return [r["result"] for r in results[:-1]], log


def test_demo_user_logs_in_through_api_gateway(warm_container):
    login = warm_container[0][0]
    assert login["statusCode"] == 200
    reply = json.loads(body_of(login))
    assert reply["user"]["role"] == "buyer" and reply["access_token"]


def test_token_from_login_reads_the_signed_in_user(warm_container):
    me = warm_container[0][1]
    assert me["statusCode"] == 200
    assert json.loads(body_of(me))["phone"] == DEMO_BUYER_PHONE
    assert header(me, "X-Request-Id")


def test_request_without_token_is_401_in_the_error_shape(warm_container):
    reply = warm_container[0][2]
    assert reply["statusCode"] == 401
    error = json.loads(body_of(reply))["error"]
    assert error["code"] and error["request_id"] == header(reply, "X-Request-Id")


def test_pwa_shell_and_its_vendor_library_are_served(warm_container):
    index, vendor = warm_container[0][3], warm_container[0][4]
    assert index["statusCode"] == 200 and "<html" in body_of(index).lower()
    assert vendor["statusCode"] == 200 and "export" in body_of(vendor)


def test_nothing_outside_the_package_and_boto3_was_imported(warm_container):
    assert warm_container[1]["foreign_modules"] == []


def test_a_container_serving_the_api_never_loads_what_zappa_imports_for_asgi_and_slim_packages(warm_container):
    # app_type "wsgi" (no ASGI detection) and log records without task names keep them unloaded.
    assert warm_container[1]["still_deferred"] == ["asyncio", "tarfile"]


@pytest.mark.parametrize("position", range(len(JOBS)))
def test_scheduled_rule_runs_its_job(job_runs, position):
    results, log = job_runs
    assert isinstance(results[position], dict)
    assert f"job {JOBS[position].rsplit('.', 1)[1]} done" in log


def test_direct_command_event_runs_a_job(job_runs):
    results, log = job_runs
    assert isinstance(results[len(JOBS)], dict)
    assert "Result of backend.jobs.open_slots" in log


def test_fake_plate_model_scores_inside_the_package(job_runs):
    results, _ = job_runs
    assert 0.0 <= results[-1] <= 1.0


def test_packaged_openapi_document_is_the_one_the_code_builds_and_is_served(lambda_zip, client, invoke_lambda):
    with zipfile.ZipFile(lambda_zip) as archive:
        packaged = json.loads(archive.read("backend/openapi.json"))
    assert packaged == client.get("/api/openapi.json").json  # tests/test_role_matrix.py holds that one to the routes
    results, _ = invoke_lambda([api_event("GET", "/api/openapi.json")])
    reply = results[0]["result"]
    assert reply["statusCode"] == 200 and json.loads(body_of(reply)) == packaged


def test_package_leaves_out_training_test_and_runtime_provided_libraries(lambda_zip):
    with zipfile.ZipFile(lambda_zip) as archive:
        top_level = {name.split("/", 1)[0] for name in archive.namelist()}
    for unwanted in (
        "boto3",
        "botocore",
        "lightgbm",
        "sklearn",
        "onnx",
        "pytest",
        "playwright",
        "troposphere",
        "pip",
        "setuptools",
        "tests",
        "bench",
        "node_modules/.bin",
        ".venv",
    ):
        assert unwanted not in top_level
    assert {"handler.py", "zappa_settings.py", "backend", "onnxruntime", "pwa"} <= top_level
    assert os.path.getsize(lambda_zip) < 250 * 1024 * 1024


@pytest.fixture(scope="module")
def lazy_domain(invoke_lambda):
    """A signed-in buyer's unread count (the inbox: a domain loaded on its first request, not at start) asked twice in
    one container, then once without a token; with the token, for the same question asked in process."""
    login = api_event("POST", "/api/auth/login", body={"phone": DEMO_BUYER_PHONE, "password": DEMO_PASSWORD})
    first, _ = invoke_lambda([login])
    token = json.loads(body_of(first[0]["result"]))["access_token"]
    signed = api_event("GET", "/api/inbox/unread", headers={"Authorization": f"Bearer {token}"})
    results, _ = invoke_lambda([signed, dict(signed), api_event("GET", "/api/inbox/unread")])
    return [r["result"] for r in results[:-1]], token


def test_a_domain_loaded_on_its_first_request_answers_as_in_process(lazy_domain, client):
    (first, again, anonymous), token = lazy_domain
    in_process = client.get("/api/inbox/unread", headers={"Authorization": f"Bearer {token}"})
    assert first["statusCode"] == again["statusCode"] == in_process.status_code == 200
    assert json.loads(body_of(first)) == json.loads(body_of(again)) == in_process.json
    assert anonymous["statusCode"] == 401 and json.loads(body_of(anonymous))["error"]["code"]


def test_a_stream_batch_reaches_the_aggregates_through_the_configured_entry(invoke_lambda):
    # A bookings-stream record the aggregates do not count (nothing changed): the entry routes it to the counter,
    # which answers with its tally, where Zappa's handler would have ignored an unlisted stream.
    record = {
        "eventSource": "aws:dynamodb",
        "eventName": "INSERT",
        "eventSourceARN": "arn:aws:dynamodb:ddblocal:000000000000:table/x-bookings/stream/2026",
        "dynamodb": {"SequenceNumber": "1", "NewImage": {"booking_id": {"S": "bk_entry_test"}}},
    }
    results, log = invoke_lambda([{"Records": [record]}])
    assert results[0]["result"]["records"] == 1, log[-2000:]

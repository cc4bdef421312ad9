"""Stream batches reach the aggregates through the function's entry; the stack, not the settings, maps the streams."""

import json
import os
import sys
import types

from backend.analytics import entry, stream
from backend.localstore.dynamodb_local import REPO_ROOT
from infra import generate


def _settings():
    with open(os.path.join(REPO_ROOT, "zappa_settings.json"), encoding="utf-8") as handle:
        return json.load(handle)


def test_stream_batches_go_to_the_aggregates_and_the_rest_to_zappa(monkeypatch):
    calls = []
    monkeypatch.setitem(
        sys.modules, "handler", types.SimpleNamespace(lambda_handler=lambda e, c: calls.append("zappa"))
    )
    monkeypatch.setattr(stream, "lambda_handler", lambda e, c: calls.append("stream"))
    entry.lambda_handler({"Records": [{"eventSource": "aws:dynamodb", "dynamodb": {}}]})
    entry.lambda_handler({"httpMethod": "GET", "path": "/api/health"})
    entry.lambda_handler({"Records": [{"eventSource": "aws:sqs"}]})
    assert calls == ["stream", "zappa", "zappa"]


def test_settings_carry_no_stream_arn_and_name_the_entry():
    dev = _settings()["dev"]
    assert dev["lambda_handler"] == "backend.analytics.entry.lambda_handler"
    assert not [e for e in dev["events"] if "event_source" in e]
    assert "SET-FROM-STACK-OUTPUT" not in json.dumps(_settings())


def test_the_stack_maps_every_aggregated_table_s_stream_to_the_function():
    from backend.tables import ALL_MODELS

    mappings = [r for r in generate.template(ALL_MODELS)["Resources"].values() if r["Type"].endswith("SourceMapping")]
    sources = {m["Properties"]["EventSourceArn"]["Fn::GetAtt"][0] for m in mappings}
    assert sources == {"".join(p.capitalize() for p in t.split("_")) + "Table" for t in stream.SOURCES}
    assert all("${AWS::Partition}" in m["Properties"]["FunctionName"]["Fn::Sub"] for m in mappings)

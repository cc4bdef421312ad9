"""zappa_settings.json points at real code, keeps secrets out, schedules the jobs when the dispatch day needs them."""

import importlib
import inspect
import json
import os
import re

import pytest
from flask import Flask

from backend.config import REQUIRED_SECRETS as SECRETS
from backend.localstore.dynamodb_local import REPO_ROOT

SETTINGS_PATH = os.path.join(REPO_ROOT, "zappa_settings.json")


@pytest.fixture(scope="module")
def settings():
    with open(SETTINGS_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def stage(settings, name):
    """A stage with its `extends` parent merged in, as Zappa reads it."""
    own = dict(settings[name])
    parent = own.pop("extends", None)
    return {**stage(settings, parent), **own} if parent else own


def resolve(dotted):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_stage_runs_the_module_level_app_on_python312(settings, name, app):
    config = stage(settings, name)
    assert config["runtime"] == "python3.12" and config["log_level"] == "INFO"
    assert config["slim_handler"] is False
    # Said, not detected: Zappa's handler would otherwise load asyncio to ask whether the app is ASGI.
    assert config["app_type"] == "wsgi"
    assert isinstance(resolve(config["app_function"]), Flask)


def test_stages_use_their_own_tables(settings):
    prefixes = {stage(settings, n)["aws_environment_variables"]["TABLE_PREFIX"] for n in ("dev", "prod")}
    assert len(prefixes) == 2


def test_no_secret_is_in_the_settings_file():
    with open(SETTINGS_PATH, encoding="utf-8") as handle:
        text = handle.read()
    assert not any(secret in text for secret in SECRETS)


def test_scheduled_events_call_real_job_functions(settings):
    events = {e["function"]: e.get("expression") for e in stage(settings, "dev")["events"]}  # streams: no expression
    jobs = ("open_slots", "compute_quotas", "expire_no_shows", "trial_balance")
    assert {f"backend.jobs.{job}" for job in jobs} <= set(events)  # other jobs may be scheduled: all checked below
    for function in events:
        # Zappa calls function(event, context); keyword-only options (a job's mine_ids) are the caller's business.
        parameters = inspect.signature(resolve(function)).parameters.values()
        assert [p.name for p in parameters if p.kind is not p.KEYWORD_ONLY] == ["event", "context"]
    assert events["backend.jobs.expire_no_shows"] == "rate(5 minutes)"


def test_quotas_are_computed_before_the_mines_open_in_china(settings):
    expression = next(
        e["expression"] for e in stage(settings, "dev")["events"] if e["function"] == "backend.jobs.compute_quotas"
    )
    _minute, hour = re.match(r"cron\((\d+) (\d+) \* \* \? \*\)", expression).groups()
    assert 3 <= (int(hour) + 8) % 24 <= 6  # EventBridge cron is UTC; Asia/Shanghai is UTC+8


def test_runtime_provided_and_training_libraries_are_excluded(settings):
    excluded = set(stage(settings, "prod")["exclude"])
    assert {"boto3", "botocore", "s3transfer", "lightgbm", "sklearn", "onnx", "pytest", "troposphere"} <= excluded

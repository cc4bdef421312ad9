"""The fault switch: off by default, refused against a real table, and what each kind does to a call."""

import pytest

from backend.app import create_app
from backend.common import faults
from backend.config import Config


def test_faults_are_off_unless_set():
    secrets = dict.fromkeys(("JWT_SECRET_KEY", "DEVICE_MASTER_KEY", "GATE_PASS_KEY", "SECRET_SEAL_KEY"), "x" * 32)
    assert Config(environ={}, **secrets).FAULT_RATE == 0


@pytest.mark.parametrize("host", [None, "", "https://dynamodb.cn-northwest-1.amazonaws.com.cn"])
def test_start_up_refuses_faults_against_a_real_table(host):
    with pytest.raises(RuntimeError, match="FAULT_RATE"):
        faults.configure(rate=0.2, kinds="throttle", host=host, testing=False)


def test_start_up_refuses_faults_against_aws_through_create_app(app):
    with pytest.raises(RuntimeError, match="FAULT_RATE"):
        create_app(Config(FAULT_RATE=0.2, DYNAMODB_HOST=None))
    assert faults.current() is None


@pytest.mark.parametrize(("rate", "kinds"), [(1.5, "throttle"), (-0.1, "throttle"), (0.2, "meteor"), (0.2, " , ")])
def test_a_malformed_drill_stops_start_up(rate, kinds):
    with pytest.raises((RuntimeError, ValueError)):
        faults.configure(rate=rate, kinds=kinds, host="http://127.0.0.1:8000", testing=False)
    faults.configure(rate=0, kinds="throttle", host=None, testing=False)


def test_dynamodb_local_and_tests_may_run_drills():
    try:
        assert faults.configure(rate=0.2, kinds="throttle,lost", host="http://127.0.0.1:8000", testing=False)
        assert faults.configure(rate=0.2, kinds="error", host=None, testing=True).kinds == ("error",)
    finally:
        faults.configure(rate=0, kinds="throttle", host=None, testing=False)


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("throttle", "ProvisionedThroughputExceededException"),
        ("throttling", "ThrottlingException"),
        ("error", "InternalServerError"),
        ("unavailable", "ServiceUnavailable"),
        ("connection", "ConnectionClosedError"),
    ],
)
def test_each_kind_fails_a_call_the_way_dynamodb_would_after_botocore_retried(app, kind, error):
    from backend import db
    from backend.catalogue.models import Mine

    with app.app_context(), faults.injected(1.0, kind, operations={"GetItem"}) as plan:
        with pytest.raises(Exception) as raised:
            Mine.get("no-such-mine")
    attempts = app.config["DYNAMODB_MAX_ATTEMPTS"]
    assert plan.injected[kind] == attempts == db.retries()["total_max_attempts"]
    assert error in type(raised.value.cause).__name__ + str(raised.value.cause)  # PynamoDB keeps botocore's error


def test_calls_that_fail_now_and_then_succeed_on_botocore_retry(app):
    from pynamodb.exceptions import DoesNotExist

    from backend.catalogue.models import Mine

    answered = 0
    with app.app_context(), faults.injected(0.3, "error,throttling,connection", operations={"GetItem"}, seed=3) as plan:
        for _ in range(8):
            with pytest.raises(DoesNotExist):  # the store's real answer, not the injected failure
                Mine.get("no-such-mine")
            answered += 1
    assert answered == 8 and sum(plan.injected.values()) > 0

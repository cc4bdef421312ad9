"""Schemathesis against the served OpenAPI document, a token per role, a few cases per operation and mode."""

import os

import pytest

from tests.fuzz import fuzzing
from tests.test_role_matrix import role_headers  # noqa: F401 (a fixture: a signed-in user per role)

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "2"))
BUDGET_S = float(os.environ.get("FUZZ_BUDGET_S", "120"))


@pytest.fixture(scope="module")
def tally(app, live_server, role_headers):  # noqa: F811
    schema = fuzzing.load(live_server)

    def in_app(make):
        def headers():
            with app.app_context():
                return make()

        return headers

    roles = {role: in_app(make) for role, make in role_headers.items()}
    audience = fuzzing.audience_of(app)
    return fuzzing.fuzz(schema, live_server, roles, audience=audience, max_examples=MAX_EXAMPLES, budget_s=BUDGET_S)


def test_fuzzing_reached_every_operation_for_every_role(tally, client):
    operations = sum(
        1 for item in client.get("/api/openapi.json").json["paths"].values() for key in item if key != "parameters"
    )
    assert not tally.stopped_early, f"the time bound cut the run short: {tally.summary()}"
    assert tally.operations == operations
    assert sum(tally.statuses.values()) >= operations * len(fuzzing.MODES), tally.summary()
    print(tally.summary())


def test_no_input_gets_a_server_error(tally):
    errors = tally.server_errors()
    assert not errors, f"{len(errors)} server errors:\n" + "\n".join(map(str, errors[:20]))


def test_every_reply_is_documented_with_its_schema(tally):
    findings = [f for f in tally.findings if f.status < 500]
    assert not findings, f"{len(findings)} undocumented replies:\n" + "\n".join(map(str, findings[:20]))

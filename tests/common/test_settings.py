"""Settings: one table in backend/config.py, checked before the app starts, read through one accessor."""

import pathlib
import re

import pytest

from backend import config
from backend.app import create_app
from backend.config import Config, setting

BACKEND = pathlib.Path(__file__).resolve().parents[2] / "backend"
SECRETS = {
    "JWT_SECRET_KEY": "s" * 32,
    "DEVICE_MASTER_KEY": "d" * 32,
    "GATE_PASS_KEY": "g" * 32,
    "SECRET_SEAL_KEY": "e" * 32,
}
# Only the table itself and the local runner's set-up (it writes the environment the app then reads).
MAY_READ_ENVIRONMENT = {"config.py", "devserver.py", "localstore"}
READS_ENVIRONMENT = re.compile(r"\bos\.environ\b|\bgetenv\b|from os import[^\n]*\benviron\b")


@pytest.fixture()
def environment(monkeypatch):
    """The process environment with valid secrets; tests then break one thing."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_start_up_names_a_missing_gate_pass_key(environment):
    environment.delenv("GATE_PASS_KEY")
    with pytest.raises(RuntimeError, match="GATE_PASS_KEY") as refused:
        create_app()
    assert "JWT_SECRET_KEY" not in str(refused.value) and "DEVICE_MASTER_KEY" not in str(refused.value)


def test_start_up_names_every_short_or_missing_secret(environment):
    environment.setenv("JWT_SECRET_KEY", "short")
    environment.delenv("DEVICE_MASTER_KEY")
    with pytest.raises(RuntimeError) as refused:
        create_app()
    assert "JWT_SECRET_KEY" in str(refused.value) and "DEVICE_MASTER_KEY" in str(refused.value)
    assert "GATE_PASS_KEY" not in str(refused.value)


@pytest.mark.parametrize(
    "name, text",
    [
        ("TRACK_CORRIDOR_M", "5km"),
        ("ROAD_FACTOR", "1,3"),
        ("GATE_LEGAL_GROSS_KG", "{2: 18000"),
        ("PUSH_ALLOW_HTTP_LOOPBACK", "maybe"),
    ],
)
def test_start_up_names_a_malformed_value(environment, name, text):
    environment.setenv(name, text)
    with pytest.raises(RuntimeError, match=name):
        create_app()


def test_values_from_the_environment_arrive_parsed():
    values = Config(
        environ=dict(
            SECRETS,
            ROAD_FACTOR="1.45",
            CHECKIN_DEBOUNCE_FIXES="3",
            GATE_LEGAL_GROSS_KG='{"2": 20000}',
            AWS_DEFAULT_REGION="cn-north-1",
        )
    ).as_flask()
    assert values["ROAD_FACTOR"] == 1.45 and values["CHECKIN_DEBOUNCE_FIXES"] == 3
    assert values["GATE_LEGAL_GROSS_KG"] == {"2": 20000} and values["AWS_REGION"] == "cn-north-1"
    assert values["TRACK_CORRIDOR_M"] == 5000 and values["JWT_ACCESS_TOKEN_EXPIRES"] == 600


def test_inside_an_app_setting_reads_app_config_and_outside_the_environment_table(app, monkeypatch):
    monkeypatch.setitem(app.config, "ROAD_FACTOR", 1.7)
    with app.app_context():
        assert setting("ROAD_FACTOR") == 1.7
    with app.app_context():
        app.config.pop("ROAD_FACTOR")  # restored by monkeypatch; a missing key falls back to the table
        assert setting("ROAD_FACTOR") == config.environment()["ROAD_FACTOR"]


def test_no_module_reads_the_environment_behind_the_tables_back():
    offenders = [
        str(path.relative_to(BACKEND))
        for path in BACKEND.rglob("*.py")
        if path.relative_to(BACKEND).parts[0] not in MAY_READ_ENVIRONMENT
        and READS_ENVIRONMENT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_setting_the_code_asks_for_is_in_the_table():
    asked = {
        name
        for path in BACKEND.rglob("*.py")
        for name in re.findall(r"\b(?:setting|settings\.get)\(\"([A-Z0-9_]+)\"\)", path.read_text(encoding="utf-8"))
    }
    assert len(asked) > 30  # the pattern still finds the reads
    assert asked - set(config.BY_NAME) == set()

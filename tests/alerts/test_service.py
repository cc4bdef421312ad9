"""Who sees an alert and how trip alerts are kept to one per episode (no DynamoDB)."""

from types import SimpleNamespace

import pytest

from backend.alerts import service


def principal(role, org_id=None, mine_id=None):
    return SimpleNamespace(user_id="u_1", role=role, org_id=org_id, mine_id=mine_id)


def alert(kind="fake_plate", mine_id="mine_a", carrier_id="org_c"):
    return SimpleNamespace(kind=kind, mine_id=mine_id, carrier_id=carrier_id)


@pytest.mark.parametrize(
    "who,gate_alert,trip_alert",
    [
        (principal("dispatcher"), True, True),
        (principal("admin"), True, True),
        (principal("gate", mine_id="mine_a"), True, False),  # a truck on the road is not the gate's business
        (principal("gate", mine_id="mine_b"), False, False),
        (principal("carrier", org_id="org_c"), True, True),
        (principal("carrier", org_id="org_x"), False, False),
        (principal("carrier"), False, False),
        (principal("driver", org_id="org_c"), False, False),
        (principal("shipper", org_id="org_c"), False, False),
    ],
)
def test_who_sees_a_gate_alert_and_a_trip_alert(who, gate_alert, trip_alert):
    assert service._may_see(who, alert()) is gate_alert
    assert service._may_see(who, alert(kind="route_deviation")) is trip_alert


def test_a_trip_alerts_id_follows_from_its_episode():
    assert service.episode_alert_id("long_stop", "wb_1#1790000000000") == service.episode_alert_id(
        "long_stop", "wb_1#1790000000000"
    )
    assert service.episode_alert_id("long_stop", "wb_1#1") != service.episode_alert_id("route_deviation", "wb_1#1")
    assert service.episode_alert_id("long_stop", "wb_1#1") != service.episode_alert_id("long_stop", "wb_1#2")


@pytest.mark.parametrize("kind", ["fake_plate", "speeding"])
def test_only_trip_kinds_are_raised_per_episode(kind):
    with pytest.raises(ValueError):
        service.raise_episode_alert(kind=kind, episode="wb_1#1", mine_id="mine_a", reason="x", now_ms=1)


def test_an_unknown_alert_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        service.raise_alert(kind="speeding", mine_id="mine_a", reason="x", actor=None, now_ms=1)

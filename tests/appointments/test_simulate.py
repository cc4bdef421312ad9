"""Mine staff simulate their own site from the app: the site's figures by default, bounded parameters."""

import pytest

from tests.appointments.builders import make_mine
from tests.builders import headers_for, make_user


@pytest.fixture()
def site(app):
    with app.app_context():
        mine = make_mine(lanes=3, per_hour=5, drive_minutes=8)
        yield mine, make_user("gate", mine_id=mine.mine_id)


def test_gate_staff_simulate_their_site_with_its_own_figures(client, site):
    mine, gate = site
    reply = client.get(f"/api/appointments/mines/{mine.mine_id}/simulate?seeds=2&window=20", headers=headers_for(gate))
    assert reply.status_code == 200
    body = reply.json
    assert (body["assumptions"]["lanes"], body["assumptions"]["drive"], body["assumptions"]["window"]) == (3, 8, 20)
    assert body["assumptions"]["cycle"] == 12  # 5 trucks a lane-hour until the gate has measured the lanes
    assert set(body["ratios"]) >= {"queue", "area", "wanted", "loaded"}
    assert body["walk_up"]["loaded"] > 0 and body["platform"]["loaded"] > 0
    assert any("wanted→loaded" in line for line in body["text"])


def test_parameters_are_bounded_and_the_field_named(client, site):
    mine, gate = site
    reply = client.get(f"/api/appointments/mines/{mine.mine_id}/simulate?seeds=500", headers=headers_for(gate))
    assert reply.status_code in (400, 422) and "seeds" in str(reply.json["error"]["details"])


def test_gate_staff_of_another_mine_cannot_simulate_it(client, site):
    mine, _ = site
    stranger = make_user("gate", mine_id="mine_elsewhere")
    reply = client.get(f"/api/appointments/mines/{mine.mine_id}/simulate?seeds=1", headers=headers_for(stranger))
    assert reply.status_code == 403

"""A certificate expiring within 30 days raises one alert for its carrier, who sees it; the next day's run is quiet."""

from datetime import date, timedelta

from backend.alerts import service as alerts
from backend.common.clock import now_ms, shanghai_date
from backend.regfeed import reminders
from tests.builders import Actor, make_org, make_user, make_vehicle


def test_an_expiring_road_transport_certificate_is_announced_once_to_its_carrier(app):
    with app.app_context():
        carrier = make_org("carrier").org_id
        soon = (date.fromisoformat(shanghai_date(now_ms())) + timedelta(days=12)).isoformat()
        truck = make_vehicle(carrier, transport_cert_expires=soon)
        make_vehicle(carrier)  # valid for years: no reminder
        assert reminders.remind_certificates(now_ms=now_ms(), carrier_ids=[carrier]) == {"reminded": 1}
        assert reminders.remind_certificates(now_ms=now_ms(), carrier_ids=[carrier]) == {"reminded": 0}
        boss = Actor(make_user("carrier", org_id=carrier))
        items, _ = alerts.list_alerts(principal=boss, mine_id=None, status="open", limit=20, last_evaluated_key=None)
    reminder = next(a for a in items if a.kind == "certificate_expiring")
    assert reminder.vehicle_id == truck.vehicle_id and soon in reminder.reason and "12 days" in reminder.reason


def test_a_lapsed_certificate_counts_once_against_its_party_s_credit(app):
    from backend.trust import service as trust
    from backend.trust import store as trust_store

    with app.app_context():
        carrier = make_org("carrier").org_id
        lapsed = (date.fromisoformat(shanghai_date(now_ms())) - timedelta(days=3)).isoformat()
        make_vehicle(carrier, transport_cert_expires=lapsed)
        make_vehicle(carrier)
        for _ in range(2):  # the daily job runs again: the lapse still counts once
            reminders.remind_certificates(now_ms=now_ms(), carrier_ids=[carrier])
        counted = trust.counts_of(trust_store.get_standing(carrier))
    assert counted.get("certificate_expired") == 1

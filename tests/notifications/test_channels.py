"""Each event reaches each person once per channel (inbox, SMS through the real sink), under retries and races;
quiet hours, per-number caps, retries with backoff, delivery reports and dispatch's alert hold (DynamoDB Local)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from backend.alerts.models import Alert
from backend.common.clock import SHANGHAI
from backend.notifications import deliver, due, store
from backend.notifications import service as notifications
from tests.builders import make_user, random_ref

NOON = int(datetime(2026, 12, 3, 12, 0, tzinfo=SHANGHAI).timestamp() * 1000)
NIGHT = int(datetime(2026, 12, 3, 23, 30, tzinfo=SHANGHAI).timestamp() * 1000)
MORNING = int(datetime(2026, 12, 4, 7, 1, tzinfo=SHANGHAI).timestamp() * 1000)


def hold(user, now, event_id=None):
    event_id = event_id or random_ref("ev")
    outcome = deliver.to_person(
        user.user_id, event_id=event_id, kind="hold", params={"waybill": "wb12345", "reason": "称重异常"}, now_ms=now
    )
    return event_id, outcome


def sms_of(event_id, user):
    return store.get_delivery(f"{event_id}#sms#{user.user_id}")


def inbox_of(user):
    return store.messages(user.user_id, limit=100, last_evaluated_key=None)[0]


def test_a_call_in_raced_by_eight_threads_and_retried_is_one_sms_and_one_inbox_message(app, sms_sink):
    with app.app_context():
        driver = make_user("driver")
    payload = {"type": "called", "booking_id": random_ref("bk"), "deadline_ms": NOON + 15 * 60_000}

    def call(_):
        with app.app_context():
            return notifications.notify(driver.user_id, payload, now_ms=NOON)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(call, range(8)))
    call(None)  # the call-in's own retry, later

    [sms] = sms_sink.messages(driver.phone)
    assert sms["template_code"] == "SMS_CALLED_ZH" and sms["template_param"] == {"time": "12:15"}
    with app.app_context():
        [message] = inbox_of(driver)
        assert message.kind == "called" and message.link == "#/queue" and message.params == {"time": "12:15"}
        assert store.unread(driver.user_id) == 1


def test_a_hold_at_night_waits_for_morning_but_a_call_in_does_not(app, sms_sink):
    with app.app_context():
        driver = make_user("driver")
        event_id, outcome = hold(driver, NIGHT)
        assert outcome["inbox"] and outcome["sms"] == "deferred" and sms_sink.messages(driver.phone) == []
        notifications.notify(driver.user_id, {"type": "called", "booking_id": random_ref("bk"), "deadline_ms": NIGHT})
        assert [m["template_code"] for m in sms_sink.messages(driver.phone)] == ["SMS_CALLED_ZH"]

        due.run(now_ms=MORNING - 120_000)
        assert sms_of(event_id, driver).status == "deferred"
        due.run(now_ms=MORNING)
        assert sms_of(event_id, driver).status == "sent"
        assert [m["template_code"] for m in sms_sink.messages(driver.phone)] == ["SMS_CALLED_ZH", "SMS_HOLD_ZH"]


def test_a_person_s_own_quiet_hours_and_english_templates_are_kept(app, client, sms_sink):
    with app.app_context():
        driver = make_user("driver")
        from tests.builders import headers_for

        reply = client.put(
            "/api/inbox/preferences",
            json={"opt_outs": ["arrived"], "quiet_start": 11, "quiet_end": 13, "lang": "en"},
            headers=headers_for(driver),
        )
        assert reply.status_code == 200 and reply.json["opt_outs"] == ["arrived"]
        event_id, outcome = hold(driver, NOON)
        assert outcome["sms"] == "deferred" and sms_of(event_id, driver).next_at == NOON + 3600_000
        _, outcome = hold(driver, NOON + 2 * 3600_000)
        assert outcome["sms"] == "sent" and sms_sink.messages(driver.phone)[-1]["template_code"] == "SMS_HOLD_EN"


def test_the_rate_limit_and_daily_cap_hold_and_capped_events_stay_in_the_inbox(app, sms_sink, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_RATE_LIMIT", 2)
    monkeypatch.setitem(app.config, "SMS_DAILY_CAP", 3)
    with app.app_context():
        driver = make_user("driver")
        first = [hold(driver, NOON + i * 1000)[1]["sms"] for i in range(3)]
        later = [hold(driver, NOON + 3600_000 + i * 1000)[1]["sms"] for i in range(2)]
        assert first == ["sent", "sent", "capped"]  # 2 per window
        assert later == ["sent", "capped"]  # the day's third, then the cap
        assert len(sms_sink.messages(driver.phone)) == 3 and len(inbox_of(driver)) == 5


def test_a_refused_sms_is_retried_with_backoff_and_sent_once(app, sms_sink):
    with app.app_context():
        driver = make_user("driver")
        sms_sink.fail_next(driver.phone, times=1)
        event_id, outcome = hold(driver, NOON)
        assert outcome["sms"] == "retry" and sms_sink.messages(driver.phone) == []
        retry_at = sms_of(event_id, driver).next_at
        assert retry_at == NOON + app.config["SMS_RETRY_BASE_SECONDS"] * 1000

        due.run(now_ms=retry_at - 1000)
        assert sms_of(event_id, driver).status == "retry"
        due.run(now_ms=retry_at)
        hold(driver, retry_at, event_id=event_id)  # the event itself retried meanwhile
        delivery = sms_of(event_id, driver)
        assert delivery.status == "sent" and delivery.attempts == 2 and len(sms_sink.messages(driver.phone)) == 1


def test_an_sms_that_keeps_failing_is_given_up_and_shown_to_dispatch(app, client, sms_sink, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_MAX_ATTEMPTS", 2)
    with app.app_context():
        driver = make_user("driver")
        sms_sink.fail_next(driver.phone, times=5)
        event_id, _ = hold(driver, NOON)
        due.run(now_ms=sms_of(event_id, driver).next_at)
        assert sms_of(event_id, driver).status == "failed" and sms_sink.messages(driver.phone) == []
        alerts = [a for a in Alert.by_mine.query("platform") if driver.phone in a.reason]
        assert [a.kind for a in alerts] == ["notify_failed"] and alerts[0].status == "open"


def test_delivery_reports_are_recorded_and_an_undelivered_one_alerts_dispatch(app, sms_sink):
    with app.app_context():
        reached, unreachable = make_user("driver"), make_user("driver")
        sms_sink.fail_next(unreachable.phone, times=0, unreachable=True)
        sent = [hold(user, NOON)[0] for user in (reached, unreachable)]
        due.run(now_ms=NOON + app.config["SMS_RECEIPT_AFTER_SECONDS"] * 1000)
        good, bad = sms_of(sent[0], reached), sms_of(sent[1], unreachable)
        assert good.status == "delivered" and good.receipt["err_code"] == "DELIVERED" and good.due is None
        assert bad.status == "undelivered" and bad.receipt["err_code"] == "MOBILE_NOT_ON_SERVICE"
        assert any(unreachable.phone in a.reason for a in Alert.by_mine.query("platform"))


@pytest.mark.parametrize("kind", ["arrived", "settled", "unhold"])
def test_non_critical_kinds_reach_the_inbox_but_never_sms(app, sms_sink, kind):
    with app.app_context():
        user = make_user("driver")
        outcome = deliver.to_person(user.user_id, event_id=random_ref("ev"), kind=kind, params={}, now_ms=NOON)
        assert outcome["inbox"] and outcome["sms"] is None and sms_sink.messages(user.phone) == []

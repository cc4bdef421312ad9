"""The rules that respect people, on plain values: channels by urgency, quiet hours, backoff, budgets."""

from datetime import datetime

from backend.common.clock import SHANGHAI
from backend.notifications import catalog, rules


def at(hour, minute=0, day=3):
    return int(datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI).timestamp() * 1000)


def test_only_must_deliver_kinds_go_by_sms_and_they_cannot_be_opted_out_of():
    assert {k for k in catalog.KINDS if rules.sms_wanted(k)} == {"called", "hold", "window_closed"}
    assert rules.push_wanted("called", ["called"]) and rules.push_wanted("hold", ["hold"])
    assert not rules.push_wanted("arrived", ["arrived"]) and rules.push_wanted("arrived", ["settled"])


def test_quiet_hours_across_midnight_end_at_their_end_hour():
    assert rules.quiet_until(at(21, 59), 22, 7) is None
    assert rules.quiet_until(at(23, 30), 22, 7) == at(7, day=4)
    assert rules.quiet_until(at(3, 0), 22, 7) == at(7)
    assert rules.quiet_until(at(7, 0), 22, 7) is None
    assert rules.quiet_until(at(13, 0), 12, 14) == at(14)
    assert rules.quiet_until(at(3, 0), 0, 0) is None  # equal ends: never quiet


def test_a_call_in_wakes_people_and_a_hold_waits_for_morning():
    night = at(23, 30)
    assert rules.send_after("called", night, (22, 7)) == night
    assert rules.send_after("hold", night, (22, 7)) == at(7, day=4)
    assert rules.send_after("hold", at(12), (22, 7)) == at(12)


def test_backoff_doubles_and_is_capped():
    assert [rules.backoff_ms(n, 30) // 1000 for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert rules.backoff_ms(30, 30) == 3600_000


def test_a_number_s_budgets_are_a_rate_window_and_a_shanghai_day():
    (rate_key, rate, _), (day_key, cap, _) = rules.budgets(
        "13800000000", at(0, 30), rate_limit=5, rate_window_s=600, daily_cap=20
    )
    assert rate_key.startswith("rate#13800000000#") and rate == 5
    assert day_key == "day#13800000000#2026-12-03" and cap == 20  # 00:30 in Shanghai is still the 3rd there


def test_texts_exist_in_both_languages_with_their_params_filled():
    for kind in catalog.KINDS:
        zh, en = catalog.text(kind, {}, "zh"), catalog.text(kind, {}, "en")
        assert all(zh) and all(en) and zh != en
    assert catalog.text("called", {"time": "14:05"}, "en")[1] == "Reach the gate by 14:05"
    assert "14:05" in catalog.text("called", {"time": "14:05"}, "zh")[1]


def test_the_sink_page_shows_what_the_phone_would_read():
    from backend.localstore.sms_sink import phone_text

    called = {"template_code": "SMS_CALLED_EN", "template_param": {"time": "14:05"}, "sign_name": "煤运通"}
    otp = {"template_code": "SMS_OTP_REGISTER", "template_param": {"code": "123456"}, "sign_name": "煤运通"}
    assert phone_text(called) == "【煤运通】Called to the gate: Reach the gate by 14:05"
    assert "123456" in phone_text(otp) and phone_text(dict(called, template_code="SMS_HOLD_ZH")).startswith(
        "【煤运通】车辆被扣"
    )

"""Waybill moves reach the people they concern (not whoever made them), once each however often told."""

from backend.notifications import reactions, store
from backend.waybills import service as waybills
from tests.appointments.builders import make_mine, make_waybill
from tests.builders import make_org, make_user


def kinds(user):
    return [m.kind for m in store.messages(user.user_id, limit=20, last_evaluated_key=None)[0]]


def test_a_hold_and_its_clearing_reach_the_driver_and_the_carrier_desk_once(app, sms_sink):
    with app.app_context():
        carrier = make_org("carrier").org_id
        driver, desk = make_user("driver", org_id=carrier), make_user("carrier", org_id=carrier)
        waybill = make_waybill(make_mine().mine_id, driver_id=driver.user_id, plate="陕K12345", state="booked")
        waybill.update(actions=[type(waybill).carrier_id.set(carrier)])
        gate = waybills.SystemActor("gate-staff", "gate")

        held = waybills.hold(waybill_id=waybill.waybill_id, reason="双重识别不符", actor=gate, now_ms=1_796_000_000_000)
        reactions.on_waybill_moved(waybill=held, action="hold", actor=gate, reason="双重识别不符", now_ms=1)  # again
        waybills.unhold(waybill_id=waybill.waybill_id, reason="核实无误", actor=gate, now_ms=1_796_000_100_000)

        assert kinds(driver) == ["unhold", "hold"] and kinds(desk) == ["unhold", "hold"]
        [hold_sms] = sms_sink.messages(driver.phone)  # the hold is must-deliver; its clearing is not
        assert hold_sms["template_code"] == "SMS_HOLD_ZH" and hold_sms["template_param"]["reason"] == "双重识别不符"
        assert len(sms_sink.messages(desk.phone)) == 1
        [message] = store.messages(driver.user_id, limit=20, last_evaluated_key=None)[0][1:]
        assert message.params["plate"] == "陕K12345" and message.link == "#/tickets"


def test_the_one_who_moved_it_is_not_told_and_a_driver_s_own_grab_reads_nothing(app):
    with app.app_context():
        carrier = make_org("carrier").org_id
        driver, desk = make_user("driver", org_id=carrier), make_user("carrier", org_id=carrier)
        waybill = make_waybill(make_mine().mine_id, driver_id=driver.user_id, state="booked")
        waybill.update(actions=[type(waybill).carrier_id.set(carrier)])
        as_desk = waybills.SystemActor(desk.user_id, "carrier")
        waybills.hold(waybill_id=waybill.waybill_id, reason="检查", actor=as_desk, now_ms=1_796_000_000_000)
        assert kinds(desk) == [] and kinds(driver) == ["hold"]
        grab = waybills.SystemActor(driver.user_id, "driver")
        assert reactions.on_waybill_moved(waybill=waybill, action="assign", actor=grab, now_ms=1) is None

"""Registration and password reset by SMS code: the code reaches only the number's owner, and cannot be guessed."""

import time
import uuid

import pytest

from tests.auth.conftest import key, last_code, login, refresh
from tests.builders import PASSWORD, make_user, random_phone

NEW_PASSWORD = "blue-coal-truck-7"


def ask(web, phone, purpose="register", **kw):
    return web.post("/api/auth/otp", json={"purpose": purpose, "phone": phone}, headers=key(), **kw)


def register(web, phone, code, password=NEW_PASSWORD):
    body = {"phone": phone, "otp": code, "password": password, "name": "砖厂 王老板"}
    return web.post("/api/auth/register", json=body, headers=key())


def reset(web, phone, code, password=NEW_PASSWORD):
    return web.post("/api/auth/password-reset", json={"phone": phone, "otp": code, "password": password}, headers=key())


def test_a_buyer_registers_with_the_code_texted_to_their_phone(browser, sms_sink):
    web, phone = browser(), random_phone()
    assert ask(web, phone).status_code == 202
    message = sms_sink.messages(phone)[-1]
    assert message["template_code"] == "SMS_OTP_REGISTER" and message["sign_name"]
    code = message["template_param"]["code"]
    assert len(code) == 6 and code.isdigit()
    created = register(web, phone, code)
    assert created.status_code == 201 and created.json["role"] == "buyer"
    assert login(web, phone, NEW_PASSWORD).status_code == 200
    assert register(browser(), phone, code).status_code == 400  # a code works once


def test_registering_without_the_right_code_is_refused(browser, sms_sink):
    web, phone = browser(), random_phone()
    ask(web, phone)
    right = last_code(sms_sink, phone)
    wrong = register(web, phone, "000000" if right != "000000" else "111111")
    assert wrong.status_code == 400 and "otp" in wrong.json["error"]["details"]["fields"]


def test_a_taken_number_gets_the_same_replies_as_a_free_one_and_no_code(browser, sms_sink):
    taken, free = make_user("driver"), random_phone()
    web = browser()
    replies = [ask(web, phone) for phone in (taken.phone, free)]
    assert [r.status_code for r in replies] == [202, 202] and replies[0].json == replies[1].json
    assert last_code(sms_sink, taken.phone) is None  # only the owner of a free number is texted
    squat = register(web, taken.phone, "123456").json["error"]
    guess = register(web, free, "000000" if last_code(sms_sink, free) != "000000" else "111111").json["error"]
    assert squat["code"] == guess["code"] and squat["details"] == guess["details"]  # no 409 phone_taken


def test_a_code_is_burnt_after_a_few_wrong_tries(browser, sms_sink, app):
    web, phone = browser(), random_phone()
    ask(web, phone)
    right = last_code(sms_sink, phone)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(app.config["OTP_MAX_ATTEMPTS"]):
        assert register(web, phone, wrong).status_code == 400
    assert register(web, phone, right).status_code == 400


def test_codes_are_rate_limited_per_phone_and_per_address(browser, app, monkeypatch):
    web, phone = browser(), random_phone()
    assert ask(web, phone).status_code == 202
    again = ask(web, phone)
    assert again.status_code == 429 and int(again.headers["Retry-After"]) > 0
    monkeypatch.setitem(app.config, "OTP_SENDS_PER_ADDRESS", 2)
    address = {"REMOTE_ADDR": f"10.77.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"}
    codes = [ask(web, random_phone(), environ_base=address).status_code for _ in range(3)]
    assert codes == [202, 202, 429]


def test_a_reset_sets_a_new_password_and_ends_every_session(browser, sms_sink):
    user = make_user("carrier")
    old_device, web = browser(), browser()
    assert login(old_device, user.phone).status_code == 200
    assert ask(web, user.phone, "reset").status_code == 202
    message = sms_sink.messages(user.phone)[-1]
    assert message["template_code"] == "SMS_OTP_RESET"
    assert reset(web, user.phone, message["template_param"]["code"]).status_code == 200
    assert login(web, user.phone, PASSWORD).status_code == 401
    assert login(web, user.phone, NEW_PASSWORD).status_code == 200
    assert refresh(old_device).status_code == 401  # signed in before the reset: gone
    assert refresh(web).status_code == 200


def test_resetting_an_unknown_number_texts_nothing_and_looks_the_same(browser, sms_sink):
    web, phone = browser(), random_phone()
    assert ask(web, phone, "reset").status_code == 202
    assert last_code(sms_sink, phone) is None
    refused = reset(web, phone, "123456")
    assert refused.status_code == 400 and "otp" in refused.json["error"]["details"]["fields"]


@pytest.mark.parametrize("password", ["        ", "short", "password123", "Qwertyuiop"])
def test_weak_passwords_are_refused_naming_the_field(browser, sms_sink, password):
    web, phone = browser(), random_phone()
    ask(web, phone)
    reply = register(web, phone, last_code(sms_sink, phone), password=password)
    assert reply.status_code == 400 and "password" in reply.json["error"]["details"]["fields"]


def test_a_code_sent_and_no_code_sent_answer_no_sooner_than_the_same_floor(app, browser, sms_sink, monkeypatch):
    # The floor hides the write and the SMS that only an owner's number costs (a prober times replies).
    monkeypatch.setitem(app.config, "OTP_REPLY_FLOOR_MS", 300)
    taken, free = make_user("buyer").phone, random_phone()
    for phone in (taken, free):
        started = time.monotonic()
        assert ask(browser(), phone).status_code == 202
        assert time.monotonic() - started >= 0.3, phone
    assert sms_sink.messages(free) and not sms_sink.messages(taken)

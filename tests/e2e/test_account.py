"""Register and reset a password on the phone with the SMS code (read from the local sink), and stay signed in
across a reload with no token in storage."""

from tests import builders

NEW_PASSWORD = "blue-coal-truck-7"


def code_for(sms_sink, phone):
    return sms_sink.messages(phone)[-1]["template_param"]["code"]


def test_a_buyer_registers_with_the_sms_code_and_stays_signed_in_after_a_reload(pixel7_page, sms_sink):
    page, phone = pixel7_page, builders.random_phone()
    page.goto("/")
    page.get_by_role("button", name="注册新账号（买煤客户、司机、承运商员工）").click()
    form = page.locator("form[data-purpose='register']")
    form.get_by_label("手机号").fill(phone)
    form.get_by_label("姓名或单位").fill("砖厂 王老板")
    form.get_by_role("button", name="获取验证码").click()
    page.locator(".send-code[disabled]").wait_for()  # counting down before another send
    assert "秒后重发" in page.locator(".send-code").inner_text()
    form.get_by_label("短信验证码").fill(code_for(sms_sink, phone))
    form.get_by_label("新密码（至少 8 位，不要用常见密码）").fill(NEW_PASSWORD)
    form.get_by_role("button", name="注册并登录").click()
    page.locator("body[data-view='shell'][data-role='buyer']").wait_for()
    stored = page.evaluate("() => Object.keys(localStorage).filter((k) => /access|refresh|token/.test(k))")
    assert stored == [] and page.evaluate("() => document.cookie") == ""
    page.reload()
    page.locator("body[data-view='shell'][data-role='buyer']").wait_for()
    me = page.evaluate("async () => (await import('/lib/api.js')).api.get('/api/auth/me')")
    assert me["phone"] == phone


def test_a_forgotten_password_is_reset_with_the_sms_code(pixel7_page, sms_sink, make_account):
    page, user = pixel7_page, make_account("driver")
    page.goto("/")
    page.get_by_role("button", name="忘记密码？").click()
    form = page.locator("form[data-purpose='reset']")
    form.get_by_label("手机号").fill(user.phone)
    form.get_by_role("button", name="获取验证码").click()
    page.locator(".send-code[disabled]").wait_for()
    form.get_by_label("短信验证码").fill("000000" if code_for(sms_sink, user.phone) != "000000" else "111111")
    form.get_by_label("新密码（至少 8 位，不要用常见密码）").fill(NEW_PASSWORD)
    form.get_by_role("button", name="重设密码并登录").click()
    form.locator(".field-error:not([hidden])").wait_for()  # the wrong code is named on its field
    form.get_by_label("短信验证码").fill(code_for(sms_sink, user.phone))
    form.get_by_role("button", name="重设密码并登录").click()
    page.locator("body[data-view='shell'][data-role='driver']").wait_for()

"""A driver joins a carrier from its invite link with the SMS code, is told to wait, the carrier approves on its
Fleet screen (refusing would ask first), and the driver signs in."""

from tests import builders

NEW_PASSWORD = "blue-coal-truck-7"


def test_a_driver_joins_a_carrier_by_its_invite_link_and_signs_in_once_approved(
    app, client, pixel7_context, make_account, make_organisation, sign_in, sms_sink
):
    carrier = make_account("carrier", org_id=make_organisation("carrier"))
    boss = pixel7_context().new_page()
    sign_in(boss, carrier, screen="fleet")
    code = boss.locator(".invite-code").inner_text()

    driver, phone = pixel7_context().new_page(), builders.random_phone()
    driver.goto(f"/#/login?invite={code}")
    form = driver.locator("form[data-purpose='register']")
    assert form.get_by_label("我是").input_value() == "driver"
    assert form.locator("input[name='invite_code']").input_value() == code
    form.get_by_label("手机号").fill(phone)
    form.get_by_label("姓名或单位").fill("司机 新来的")
    form.get_by_role("button", name="获取验证码").click()
    driver.locator(".send-code[disabled]").wait_for()
    form.get_by_label("短信验证码").fill(sms_sink.messages(phone)[-1]["template_param"]["code"])
    form.get_by_label("新密码（至少 8 位，不要用常见密码）").fill(NEW_PASSWORD)
    form.get_by_role("button", name="注册并登录").click()
    driver.get_by_role("heading", name="已提交，等待审核").wait_for()

    boss.reload()
    request = boss.locator(".row.join-request", has_text="司机 新来的")
    request.get_by_role("button", name="拒绝").click()
    boss.locator("dialog.confirm[open]").get_by_role("button", name="再想想").click()  # not refused after all
    request.get_by_role("button", name="同意加入").click()
    boss.locator(".join .empty").wait_for()
    boss.locator(".row.driver", has_text="司机 新来的").wait_for()

    driver.get_by_role("button", name="返回登录").click()
    driver.get_by_label("手机号").fill(phone)
    driver.get_by_label("密码").fill(NEW_PASSWORD)
    driver.get_by_role("button", name="登录").click()
    driver.locator("body[data-view='shell'][data-role='driver']").wait_for()

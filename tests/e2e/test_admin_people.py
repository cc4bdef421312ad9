"""An admin sets up a carrier in the browser: the company, its dispatcher's account, then disables a driver (asked
first), whose sign-in is refused from then on; the devices tab registers a camera on a site's lane by name and
revokes it (asked first), after which its key is refused."""

import time

from backend.devices.signing import signed_headers
from tests.builders import PASSWORD, make_user, random_phone


def test_admin_creates_a_company_and_an_account_then_disables_a_driver(app, client, pixel7_context, sign_in):
    with app.app_context():
        admin = make_user("admin")
    phone = random_phone()
    page = pixel7_context().new_page()
    sign_in(page, admin, screen="admin-people")
    page.get_by_label("名称").first.fill("测试承运车队")
    page.get_by_role("button", name="创建").first.click()
    org = page.locator(".row.org", has_text="测试承运车队").first
    org.get_by_role("button", name="人员").click()
    page.get_by_role("heading", name="测试承运车队 的人员").wait_for()

    form = page.locator("form", has=page.get_by_role("heading", name="新建账号"))
    form.get_by_label("名称").fill("王司机")
    form.get_by_label("手机号").fill(phone)
    form.get_by_label("角色").select_option("driver")
    form.get_by_label("初始密码").fill(PASSWORD)
    form.get_by_role("button", name="创建").click()
    row = page.locator(".row.user", has_text="王司机")
    row.wait_for()
    assert client.post("/api/auth/login", json={"phone": phone, "password": PASSWORD}).status_code == 200

    row.get_by_role("button", name="停用").click()
    asked = page.locator("dialog.confirm[open]")
    asked.get_by_role("button", name="再想想").click()  # a slip of the thumb: nothing happens
    page.locator("dialog.confirm").wait_for(state="detached")  # the dialog goes on its close event, a moment later
    assert row.get_attribute("data-status") != "disabled"
    row.get_by_role("button", name="停用").click()
    asked.get_by_role("button", name="停用").click()
    page.locator(".row.user[data-status='disabled']", has_text="王司机").wait_for()
    assert client.post("/api/auth/login", json={"phone": phone, "password": PASSWORD}).status_code != 200

    page.get_by_role("tab", name="设备").click()
    page.locator(".list.devices li").first.wait_for()
    devices = page.locator("form", has=page.get_by_role("heading", name="登记设备"))
    devices.get_by_label("设备名称").fill("测试 1号道相机")
    devices.get_by_label("站点").select_option(label="红柳林煤矿")
    devices.get_by_label("道口").select_option(label="1号道 进")
    devices.get_by_role("button", name="创建").click()
    key = page.locator(".device-key code.secret").inner_text()
    camera = page.locator(".row.device", has_text="测试 1号道相机")
    assert "红柳林煤矿" in camera.inner_text() and "mine_hll" not in camera.inner_text()
    device_id = camera.get_attribute("data-id")
    camera.get_by_role("button", name="注销设备").click()
    asked.get_by_role("button", name="注销设备").click()
    page.locator(".row.device[data-status='revoked']", has_text="测试 1号道相机").wait_for()
    path = "/api/devices/heartbeat"
    headers = signed_headers(device_id, key, "POST", path, b"{}", int(time.time() * 1000))
    beat = client.post(path, data=b"{}", headers=dict(headers, **{"Content-Type": "application/json"}))
    assert beat.status_code == 401

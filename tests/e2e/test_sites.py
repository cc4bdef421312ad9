"""An admin onboards a site in the browser (one lane, one product, fences drawn around the gate, the shipper that
sells its coal retail picked by name); a buyer then finds it in the order form."""

from tests.builders import headers_for, make_user, random_ref


def test_admin_onboards_a_site_and_a_buyer_can_order_there(app, client, pixel7_context, sign_in):
    with app.app_context():
        admin, buyer = make_user("admin"), make_user("buyer")
        admin_headers = headers_for(admin)
    site_id = random_ref("site")

    page = pixel7_context().new_page()
    sign_in(page, admin, screen="admin-sites")
    page.get_by_role("button", name="新建站点").click()
    page.get_by_label("站点编号（可不填）").fill(site_id)
    page.get_by_label("名称（中文）").fill("新建测试煤矿")
    page.get_by_label("名称（英文）").fill("New test mine")
    page.get_by_label("零售销售公司（买煤客户的订单归它跟踪）").select_option(label="榆林市能源煤炭运销有限公司")
    page.get_by_label("门岗经度").fill("110.3302")
    page.get_by_label("门岗纬度").fill("38.9326")
    page.get_by_role("button", name="按门岗位置生成").click()
    page.get_by_role("button", name="添加煤种").click()
    product = page.locator(".row.product").last
    product.get_by_label("煤种编号").fill("raw")
    product.get_by_label("煤种名称").fill("原煤")
    product.get_by_label("英文名称").fill("Raw coal")
    product.get_by_label("价格（元/吨）").fill("610")
    product.get_by_label("库存（吨）").fill("5000")
    page.get_by_role("button", name="保存站点").click()
    page.locator(f".row.site[data-id='{site_id}']").wait_for()
    assert client.get(f"/api/sites/{site_id}", headers=admin_headers).json["sales_org_id"] == "org_shp_yl"

    buyer_page = pixel7_context().new_page()
    sign_in(buyer_page, buyer, screen="buyer-order")
    buyer_page.locator(f"select[name='mine_id'] option[value='{site_id}']").wait_for(state="attached")
    buyer_page.get_by_label("煤矿").select_option(site_id)
    assert buyer_page.get_by_label("煤种").inner_text().strip().startswith("原煤")  # name · price · available

"""In Chromium: a buyer rates a delivered load 5 stars and the driver, reloading 我的信用, sees the new grade."""

from tests.trust.builders import delivered


def test_a_buyer_rates_and_the_driver_sees_the_new_grade(app, pixel7_context, sign_in):
    with app.app_context():
        first, buyer, driver = delivered()
        for _ in range(27):  # 28 loads: 60 + 28 x 0.5 = 74, a C; one good rating makes 75, a B
            delivered(buyer=buyer, driver=driver)
    driver_page = pixel7_context().new_page()
    sign_in(driver_page, driver, screen="trust")
    driver_page.locator(".trust-score[data-grade='C'][data-score='74']").wait_for()

    buyer_page = pixel7_context().new_page()
    sign_in(buyer_page, buyer, screen="trust-rate")
    buyer_page.locator(".trust-rate button.row").first.click()
    form = buyer_page.locator("form.rate-form")
    form.locator("select[name='stars']").select_option("5")
    form.locator("input[value='polite']").check()
    form.locator("button[type='submit']").click()
    buyer_page.locator(".trust-rate button.row").first.wait_for()  # back to the list once sent

    driver_page.reload()
    score = driver_page.locator(".trust-score[data-grade='B'][data-score='75']")
    score.wait_for()
    assert "B" in score.inner_text()
    ratings = driver_page.locator(".trust-score .ratings").inner_text()
    assert "1" in ratings and "态度好" in ratings
    assert buyer.name not in driver_page.locator(".trust-screen").inner_text()  # never who rated

"""A driver gives (and withdraws) consent to send the phone's position to the province from the trip screen; the
server records it with its time and wording, which is what the regulatory feed checks before sending."""

from backend.common.access import Principal
from backend.regfeed import consent
from tests.builders import make_org, make_user


def recorded(app, driver):
    with app.app_context():
        return consent.get(principal=Principal(driver.user_id, "driver", driver.org_id))


def test_a_driver_agrees_on_the_trip_screen_and_can_withdraw(app, pixel7_context, sign_in):
    with app.app_context():
        driver = make_user("driver", org_id=make_org("carrier").org_id)
    page = pixel7_context().new_page()
    sign_in(page, driver, screen="trip")
    card = page.locator(".card.consent[data-granted='no']")
    card.wait_for()
    card.get_by_role("button", name="同意报送").click()
    page.locator(".card.consent[data-granted='yes']").wait_for()
    consent = recorded(app, driver)
    assert consent.granted == "yes" and consent.granted_at and consent.wording

    page.get_by_role("button", name="撤回同意").click()
    page.locator(".card.consent[data-granted='no']").wait_for()
    assert recorded(app, driver).granted == "no"

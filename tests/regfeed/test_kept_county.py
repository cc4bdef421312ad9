"""The consignee's county comes from the place the buyer picked (kept on the order) before any guess from the point."""

from backend.regfeed import facts
from tests.regfeed.helpers import delivered
from tests.tracking.conftest import destination


def test_the_county_kept_on_the_order_is_the_consignees_county(app):
    # The unloading point lies by Shenmu's seat, but the buyer picked a place of Fugu county: the pick decides.
    kept = delivered(settle=False, destination=dict(destination(), county_code="610822", county_name="府谷县"))
    assert facts.waybill_facts(kept["waybill_id"]).unload_county == "610822"


def test_without_a_picked_place_the_county_is_derived_from_the_point(app):
    plain = delivered(settle=False)
    assert facts.waybill_facts(plain["waybill_id"]).unload_county == "610881"

"""County codes (GB/T 2260) for places outside the demo region come from the packaged national table: a unique
county name in the address, or a point near a county seat; anything else stays unknown rather than guessed."""

from backend.regfeed.areas import county_of, national_county_of


def test_a_point_near_a_county_seat_outside_the_demo_region_gets_that_county():
    assert county_of([116.45, 39.92]) == ("110105", "朝阳区")  # Beijing, Chaoyang


def test_a_nationally_unique_county_name_in_the_address_decides():
    assert county_of(None, "山东省滨州市邹平市黄山三路 88 号") == ("371681", "邹平市")


def test_a_name_two_counties_share_is_not_enough_and_a_far_point_is_unknown():
    assert national_county_of(address="朝阳区建国路") is None  # Beijing and Changchun both have one
    assert county_of([100.0, 20.0]) is None  # not near any seat: a failed self-check, never a guess


def test_the_demo_region_keeps_its_own_finer_table():
    assert county_of([110.30, 38.93])[0] == "610881"  # 神木市, by its town anchors

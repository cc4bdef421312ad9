"""Each self-check with a failing and a passing case, on plain facts (no DynamoDB)."""

from types import SimpleNamespace

import pytest

from backend.regfeed import checks, documents
from backend.regfeed.facts import WaybillFacts, sample

MINE, SITE = [110.3302, 38.9326], [110.4990, 38.8420]
T0 = 1_764_000_000_000  # 2025-11-24 (UTC)
MIN = 60_000
LIMITS = {"sent_ms": T0 + 600 * MIN, "gap_ms": 30 * MIN, "near_m": 3000, "load_tolerance_pct": 5}


def facts(**changes):
    vehicle = SimpleNamespace(
        vehicle_id="veh_1", plate="陕K3A612", plate_color="yellow", vehicle_type="tractor_trailer",
        tare_kg=15000, rated_load_kg=34000, gross_mass_kg=None, vin="LZZ5CLSB4KA100001",
        transport_cert_no="610821100001", transport_cert_expires="2030-01-01",
    )  # fmt: skip
    credential = SimpleNamespace(
        licence_class="A2", licence_valid_until="2030-01-01", qualification_no="610821198003121111",
        qualification_expires="2030-01-01", id_number="610821198003121111",
    )  # fmt: skip
    carrier = SimpleNamespace(
        name="神木市顺达物流有限公司", credit_code="91610821MA70HD0Q1J", business_permit_no="610821000318",
        business_permit_expires="2030-01-01",
    )  # fmt: skip
    waybill = SimpleNamespace(
        waybill_id="wb_1", order_id="ord_1", created_at=T0, net_kg=33_500, destination={"address": "神木市砖厂"}
    )
    track = [(MINE[0] + (SITE[0] - MINE[0]) * i / 10, MINE[1] + (SITE[1] - MINE[1]) * i / 10, T0 + (60 + 10 * i) * MIN)
             for i in range(11)]  # fmt: skip
    fields = dict(
        waybill=waybill, vehicle=vehicle, credential=credential, carrier=carrier, driver_name="马建国",
        consignor_name="榆林市能源煤炭运销有限公司", consignor_id="", consignee_name="砖厂", consignee_id="",
        mine_name="红柳林煤矿", product_name="原煤", load_point=MINE, unload_point=SITE, load_county="610881",
        unload_county="610881", departed_at=T0 + 55 * MIN, received_at=T0 + 175 * MIN, freight_fen=140_700,
        track=track, vehicle_trips=[], payments=[],
    )  # fmt: skip
    for name, value in changes.items():
        target, _, attr = name.partition("__")
        if attr:
            setattr(fields[target], attr, value)
        else:
            fields[name] = value
    return WaybillFacts(**fields)


def test_good_facts_pass_every_waybill_check():
    assert checks.run(checks.WAYBILL_CHECKS, facts(), LIMITS) == []


CASES = [
    (checks.certificates_valid, {"vehicle__transport_cert_expires": "2025-11-01"}, "道路运输证"),
    (checks.certificates_valid, {"credential": None}, "missing"),
    (checks.certificates_valid, {"carrier__business_permit_no": None}, "道路运输经营许可证"),
    (checks.times_in_order, {"received_at": T0 + 50 * MIN}, "receipt"),
    (checks.times_in_order, {"received_at": T0 + 700 * MIN}, "receipt"),  # after the document was sent
    (checks.weight_within_rated_load, {"waybill__net_kg": 35_800}, "rated load"),
    (checks.track_without_gaps, {"track": []}, "no position for 120 min"),
    (checks.track_ends_at_fences, {"unload_point": [110.80, 38.70]}, "destination"),
    (checks.track_ends_at_fences, {"load_point": [109.80, 38.86]}, "mine"),
    (checks.vehicle_not_on_two, {"vehicle_trips": [("wb_2", T0 + 100 * MIN, T0 + 300 * MIN)]}, "wb_2"),
    (checks.areas_known, {"unload_county": None}, "county code"),
]


@pytest.mark.parametrize(("check", "changes", "words"), CASES, ids=[f"{c.__name__}-{i}" for i, (c, _, _) in
                                                                    enumerate(CASES)])  # fmt: skip
def test_each_check_fails_with_its_reason_and_a_screen_to_fix_it(check, changes, words):
    assert check(facts(), LIMITS) is None
    failure = check(facts(**changes), LIMITS)
    assert failure["check"] and words in failure["reason"] and failure["fix"].startswith("#/")


def test_weight_within_the_tolerance_passes():
    assert checks.weight_within_rated_load(facts(waybill__net_kg=35_700), LIMITS) is None  # 34 t + 5 %


def test_a_trip_of_the_same_truck_that_ended_before_departure_is_no_overlap():
    earlier = [("wb_0", T0 - 200 * MIN, T0 + 50 * MIN), ("wb_1", T0 + 55 * MIN, T0 + 175 * MIN)]
    assert checks.vehicle_not_on_two(facts(vehicle_trips=earlier), LIMITS) is None


def test_fund_flow_must_add_up_to_the_declared_freight():
    paid = [{"fen": 100_000}, {"fen": 40_700}]
    assert checks.fund_flow_matches(facts(payments=paid, declared_freight_fen=140_700), LIMITS) is None
    failure = checks.fund_flow_matches(facts(payments=paid[:1], declared_freight_fen=140_700), LIMITS)
    assert "paid 100000 fen" in failure["reason"]
    assert checks.fund_flow_matches(facts(payments=paid, declared_freight_fen=None), LIMITS)["check"] == "fund_flow"


def test_the_waybill_document_carries_kg_and_yuan_with_three_decimals_and_county_codes():
    doc = documents.waybill_doc(facts(), sent_ms=T0 + 200 * MIN)
    assert doc["VehicleInfo"]["GoodsInfo"][0]["GoodsItemGrossWeight"] == "33500.000"
    assert doc["TotalMonetaryAmount"] == "1407.000"
    assert doc["ConsignorInfo"]["CountrySubdivisionCode"] == doc["ConsigneeInfo"]["CountrySubdivisionCode"] == "610881"
    assert doc["DespatchActualDateTime"] == "20251125005500"  # China time
    assert doc["VehicleInfo"]["VehiclePlateColorCode"] == "2" and doc["VehicleAmount"] == 1


def test_sampling_keeps_one_fix_per_period_and_the_last():
    track = [(0, 0, i * MIN) for i in range(11)]
    assert [at for _, _, at in sample(track, 5 * MIN)] == [0, 5 * MIN, 10 * MIN]
    assert [at for _, _, at in sample(track[:8], 5 * MIN)] == [0, 5 * MIN, 7 * MIN]

"""backend/risk/features.py: what each feature means, and that missing stays missing."""

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.risk.features import (
    FEATURE_NAMES,
    compute_features,
    haversine_m,
    implied_speed_kmh,
    is_night,
    lookalike_at_gate,
    lookalike_variants,
    misread_candidates,
    to_row,
)

GATE = {"gate_id": "hongliulin_gate", "site_id": "hongliulin", "lonlat": [110.33, 38.93]}
OTHER_GATE_LONLAT = [109.80, 38.86]
TS = 1_772_431_200_000  # 2026-03-02 14:00 Asia/Shanghai
MINUTE = 60_000


def inputs(**overrides):
    """compute_features arguments for an ordinary, legitimate-looking sighting."""
    base = {
        "sighting": {
            "plate": "陕K8B123",
            "gate_id": GATE["gate_id"],
            "ts": TS,
            "plate_colour": "yellow",
            "vehicle_colour": "red",
            "vehicle_type": "heavy_semitrailer_tractor",
            "confidence": 95,
            "tare_kg": None,
        },
        "registered_vehicle": {
            "plate": "陕K8B123",
            "plate_colour": "yellow",
            "vehicle_colour": "red",
            "vehicle_type": "heavy_semitrailer_tractor",
            "tare_kg": 15_000,
        },
        "last_fix": {"ts": TS - 30_000, "lonlat": [110.3301, 38.9301]},
        "previous_sighting": None,
        "recent_sightings": [],
        "recent_tares": [],
        "lookalike_nearby": False,
        "active_waybill_at_mine": True,
        "gate": GATE,
    }
    base.update(overrides)
    return base


def test_features_come_in_the_declared_order():
    features = compute_features(**inputs())
    assert list(features) == FEATURE_NAMES
    assert to_row(features) == [features[name] for name in FEATURE_NAMES]


def test_no_fix_leaves_gps_features_nan_not_zero():
    features = compute_features(**inputs(last_fix=None))
    for name in ("fix_distance_m", "fix_age_s", "fix_implied_speed_kmh", "fix_excess_km", "fix_report_gap_s"):
        assert math.isnan(features[name])
    assert all(math.isnan(v) for v in to_row(features)[:3])


def test_a_stale_far_fix_within_a_plausible_drive_has_no_excess():
    # An honest truck out of GPS for 40 min: its last fix 30 km back is a normal drive.
    fix = {"ts": TS - 40 * MINUTE, "lonlat": [110.33, 38.93 + 30_000 / 111_195]}
    features = compute_features(**inputs(last_fix=fix))
    assert features["fix_implied_speed_kmh"] > 40
    assert features["fix_excess_km"] == 0


def test_a_fresh_far_fix_is_excess_beyond_any_plausible_drive():
    fix = {"ts": TS - 10 * MINUTE, "lonlat": OTHER_GATE_LONLAT}
    features = compute_features(**inputs(last_fix=fix))
    distance = haversine_m(GATE["lonlat"], OTHER_GATE_LONLAT)
    assert features["fix_excess_km"] == pytest.approx((distance - 200 - 80 / 3.6 * 600) / 1000)


def test_heading_and_reporting_gap_come_from_the_fix_before_the_last():
    south = 20_000 / 111_195
    last = {"ts": TS - 20 * MINUTE, "lonlat": [110.33, 38.93 - south]}
    towards = {"ts": TS - 31 * MINUTE, "lonlat": [110.33, 38.93 - 2 * south]}
    away = {"ts": TS - 31 * MINUTE, "lonlat": [110.33, 38.93]}
    driving_here = compute_features(**inputs(last_fix=last, prior_fix=towards))
    assert driving_here["fix_heading_cos"] == pytest.approx(1.0, abs=1e-3)
    assert driving_here["fix_report_gap_s"] == 660
    assert compute_features(**inputs(last_fix=last, prior_fix=away))["fix_heading_cos"] == pytest.approx(-1, abs=1e-3)
    assert math.isnan(compute_features(**inputs(last_fix=last, prior_fix=None))["fix_heading_cos"])


def test_registry_terminal_flag_is_missing_when_unknown():
    assert compute_features(**inputs(has_terminal=False))["has_terminal"] == 0.0
    assert math.isnan(compute_features(**inputs())["has_terminal"])


def test_weighing_history_against_the_registry_needs_no_tare_now():
    features = compute_features(**inputs(recent_tares=[17_000, 17_100, 16_900]))
    assert math.isnan(features["tare_dev_registry_kg"])
    assert features["tare_history_dev_kg"] == 2_000


def test_colour_mismatch_share_counts_the_plates_recent_reads():
    recent = [
        {"ts": TS - 60 * MINUTE, "gate_id": "a", "vehicle_colour": "blue"},
        {"ts": TS - 30 * MINUTE, "gate_id": "b", "vehicle_colour": "blue"},
        {"ts": TS - 20 * MINUTE, "gate_id": "c", "vehicle_colour": None},
        {"ts": TS - 72 * 60 * MINUTE, "gate_id": "d", "vehicle_colour": "red"},  # older than 48 h
    ]
    sighting = dict(inputs()["sighting"], vehicle_colour="blue")
    features = compute_features(**inputs(sighting=sighting, recent_sightings=recent))
    assert features["colour_mismatch_share"] == 1.0
    one_off = compute_features(
        **inputs(sighting=sighting, recent_sightings=[dict(r, vehicle_colour="red") for r in recent[:2]])
    )
    assert one_off["colour_mismatch_share"] == pytest.approx(1 / 3)


def test_misread_candidates_are_bounded_and_ranked_by_confusion():
    candidates = misread_candidates("陕K83B06")
    assert candidates["陕K83806"] > candidates["陕K33B06"] > candidates["陕K38B06"]  # B/8 > 3/8 > two swaps
    assert {"陕K33B06", "陕K88B06", "陕K63B06", "陕K83B08"} <= set(candidates)  # 8→3, 3→8, 8→6, 6→8
    assert "陕K38B06" in candidates  # two swaps: 8→3 and 3→8
    assert len(candidates) <= 100 and all(c.startswith("陕") for c in candidates)
    assert "陕K83B06" not in candidates


def test_no_weighing_yet_leaves_tare_deviation_nan():
    features = compute_features(**inputs(recent_tares=[15_100]))
    assert math.isnan(features["tare_dev_registry_kg"])
    assert math.isnan(features["tare_dev_recent_kg"])


def test_tare_deviation_against_registry_and_recent_median():
    sighting = dict(inputs()["sighting"], tare_kg=17_000)
    features = compute_features(**inputs(sighting=sighting, recent_tares=[15_000, 15_200, 16_900]))
    assert features["tare_dev_registry_kg"] == 2_000
    assert features["tare_dev_recent_kg"] == 1_800


def test_fresh_fix_far_from_gate_implies_an_impossible_speed():
    fix = {"ts": TS - 10 * MINUTE, "lonlat": OTHER_GATE_LONLAT}
    features = compute_features(**inputs(last_fix=fix))
    distance = haversine_m(GATE["lonlat"], OTHER_GATE_LONLAT)
    assert features["fix_distance_m"] == pytest.approx(distance)
    assert features["fix_age_s"] == 600
    assert features["fix_implied_speed_kmh"] == pytest.approx((distance - 200) / 600 * 3.6)
    assert features["fix_implied_speed_kmh"] > 250


def test_truck_at_the_gate_needs_no_speed():
    assert compute_features(**inputs())["fix_implied_speed_kmh"] == 0


def test_haversine_one_degree_of_latitude():
    assert haversine_m([110.0, 38.0], [110.0, 39.0]) == pytest.approx(111_195, rel=1e-3)


def test_implied_speed_floors_the_time_gap():
    assert implied_speed_kmh(1000, 1_000) == pytest.approx(60.0)  # 1 km "in 1 s" → per minute


def test_previous_sighting_at_another_gate_gives_a_speed():
    previous = {"ts": TS - 20 * MINUTE, "gate_id": "xiaobaodang_gate", "lonlat": OTHER_GATE_LONLAT}
    features = compute_features(**inputs(previous_sighting=previous))
    distance = haversine_m(GATE["lonlat"], OTHER_GATE_LONLAT)
    assert features["prev_sighting_implied_speed_kmh"] == pytest.approx(distance / 1200 * 3.6)


def test_previous_sighting_at_the_same_gate_is_no_evidence():
    previous = {"ts": TS - 20 * MINUTE, "gate_id": GATE["gate_id"], "lonlat": GATE["lonlat"]}
    features = compute_features(**inputs(previous_sighting=previous))
    assert math.isnan(features["prev_sighting_implied_speed_kmh"])


def test_distinct_gates_counts_only_the_last_six_hours_and_this_gate():
    recent = [
        {"ts": TS - 7 * 60 * MINUTE, "gate_id": "fugu_pp_gate"},
        {"ts": TS - 3 * 60 * MINUTE, "gate_id": "jinjie_pp_gate"},
        {"ts": TS - 60 * MINUTE, "gate_id": GATE["gate_id"]},
    ]
    assert compute_features(**inputs(recent_sightings=recent))["distinct_gates_6h"] == 2


@pytest.mark.parametrize(
    "field, seen, expected",
    [
        ("vehicle_colour", "blue", 1.0),
        ("vehicle_colour", "red", 0.0),
        ("vehicle_colour", None, math.nan),
        ("vehicle_type", "heavy_dump_truck", 1.0),
        ("plate_colour", "yellow_green", 1.0),
    ],
)
def test_attribute_mismatch_flags(field, seen, expected):
    sighting = dict(inputs()["sighting"], **{field: seen})
    value = compute_features(**inputs(sighting=sighting))[f"{field}_mismatch"]
    assert (math.isnan(value) and math.isnan(expected)) or value == expected


def test_unknown_flags_stay_nan():
    features = compute_features(**inputs(lookalike_nearby=None, active_waybill_at_mine=None, registered_vehicle=None))
    for name in ("lookalike_nearby", "active_waybill_at_mine", "vehicle_colour_mismatch", "tare_dev_registry_kg"):
        assert math.isnan(features[name])


def test_lookalike_variants_swap_one_confusable_character():
    variants = lookalike_variants("陕K80123")
    assert {"陕KB0123", "陕K8D123", "陕K8Q123", "陕K80723", "陕K801Z3"} <= variants
    assert {"陕K30123", "陕K60123", "陕K88123", "陕K80173", "陕K80128"} <= variants  # 8→3, 8→6, 0→8, 2→7, 3→8
    assert "陕K80123" not in variants
    assert all(v.startswith("陕K") for v in variants)  # province and city letter K stay
    assert lookalike_variants("陕KXXXXX") == set()


@given(st.text(alphabet="0123456789ABDGQSZ8KX", min_size=1, max_size=7))
def test_lookalike_is_symmetric(tail):
    plate = "陕" + tail
    assert all(plate in lookalike_variants(v) for v in lookalike_variants(plate))


def _utc_ms(*shanghai_time):
    local = datetime(*shanghai_time, tzinfo=timezone(timedelta(hours=8)))
    return int(local.timestamp() * 1000)


@pytest.mark.parametrize(
    "local_time, night",
    [
        ((2026, 3, 2, 19, 59), False),
        ((2026, 3, 2, 20, 0), True),
        ((2026, 3, 3, 5, 59), True),
        ((2026, 3, 3, 6, 0), False),
        ((2026, 3, 2, 13, 0), False),
    ],
)
def test_night_is_judged_on_shanghai_local_time(local_time, night):
    assert is_night(_utc_ms(*local_time)) is night
    sighting = dict(inputs()["sighting"], ts=_utc_ms(*local_time))
    assert compute_features(**inputs(sighting=sighting))["is_night"] == float(night)


def test_utc_evening_is_shanghai_morning():
    # 22:30 UTC is 06:30 the next day in Shanghai: day, though UTC says night.
    assert is_night(int(datetime(2026, 3, 2, 22, 30, tzinfo=UTC).timestamp() * 1000)) is False


def test_lookalike_truck_counts_as_at_the_gate_only_when_near_and_fresh():
    near_fresh = {"ts": TS - 5 * MINUTE, "lonlat": [110.331, 38.931]}
    near_stale = {"ts": TS - 90 * MINUTE, "lonlat": [110.331, 38.931]}
    far_fresh = {"ts": TS - 5 * MINUTE, "lonlat": OTHER_GATE_LONLAT}
    assert lookalike_at_gate(gate=GATE, ts=TS, fixes=[far_fresh, near_fresh], sightings=[])
    assert not lookalike_at_gate(gate=GATE, ts=TS, fixes=[near_stale, far_fresh, None], sightings=[])
    read_here = {"ts": TS - 2 * MINUTE, "gate_id": GATE["gate_id"]}
    assert lookalike_at_gate(gate=GATE, ts=TS, fixes=[], sightings=[read_here])

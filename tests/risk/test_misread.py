"""backend/risk/misread.py: an unknown read resolves to a registered truck only when the site's evidence allows."""

from backend.risk.misread import candidate_evidence, likeliest_registered, resolve

GATE = {"gate_id": "g", "site_id": "g", "lonlat": [110.33, 38.93]}
TS = 1_772_431_200_000
AT_GATE = {"ts": TS - 60_000, "lonlat": [110.331, 38.931]}
FAR_FRESH = {"ts": TS - 5 * 60_000, "lonlat": [109.80, 38.86]}  # ~46 km away 5 min ago


def _evidence(fix=None, booked=False):
    return candidate_evidence(gate=GATE, ts=TS, last_fix=fix, booked_here=booked)


def test_a_lone_registered_lookalike_with_nothing_against_it_resolves():
    found = resolve({"陕K83806": 0.2}, {"陕K83806": _evidence()})
    assert found["plate"] == "陕K83806"


def test_a_truck_provably_elsewhere_is_not_the_misread():
    assert resolve({"陕K83806": 0.2}, {"陕K83806": _evidence(FAR_FRESH)}) is None


def test_gps_at_the_gate_decides_between_two_lookalikes():
    weighted = {"陕K83806": 0.2, "陕K33B06": 0.14}
    found = resolve(weighted, {"陕K83806": _evidence(), "陕K33B06": _evidence(AT_GATE)})
    assert found["plate"] == "陕K33B06" and found["evidence"]["gps_at_gate"]


def test_two_equally_likely_trucks_stay_unexplained():
    weighted = {"陕K83806": 0.2, "陕K83BD6": 0.2}
    assert resolve(weighted, {p: _evidence() for p in weighted}) is None


def test_a_booking_here_makes_a_likely_double_swap_beat_a_rare_single_one():
    weighted = {"陕K83E06": 0.04, "陕K38806": 0.02}
    found = resolve(weighted, {"陕K83E06": _evidence(), "陕K38806": _evidence(booked=True)})
    assert found["plate"] == "陕K38806"


def test_only_registered_candidates_are_looked_at_likeliest_first():
    candidates = {f"陕K8380{i}": 0.1 + i / 100 for i in range(9)}
    registered = {p: "veh" for p in list(candidates)[:7]}
    chosen = likeliest_registered(candidates, registered)
    assert list(chosen) == ["陕K83806", "陕K83805", "陕K83804", "陕K83803", "陕K83802"]

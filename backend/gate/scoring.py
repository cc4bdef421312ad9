"""Every sighting scored for cloned-plate risk: the DB reads, the shared features, the ONNX model, the rules."""

import math

from backend.accounts import service as accounts_service
from backend.accounts.plates import HEAVY_GROSS_KG, plate_kind
from backend.alerts import service as alerts_service
from backend.gate import places, store
from backend.gate.payloads import canonical_vehicle_type
from backend.gate.settings import setting
from backend.risk import features as risk_features
from backend.risk import misread
from backend.risk import model as risk_model
from backend.waybills import service as waybills
from backend.waybills.service import SystemActor
from backend.waybills.transitions import HOLDABLE

SIX_HOURS_MS = risk_features.SIX_HOURS_MS
# A waybill touched in this window counts as "active at this mine" for the model and the hold.
ACTIVE_WINDOW_MS = 3 * 24 * 3600 * 1000
GATE_STATES = HOLDABLE + ("held",)
RULE_MESSAGES = {
    "invalid_plate": "车牌格式无效 invalid plate format",
    "unknown_plate": "未登记车牌 plate not registered",
    "heavy_on_blue": "重型货车挂蓝牌 heavy truck on a blue plate",
    "blocked_vehicle": "车辆已被封禁 vehicle is blocked",
}


def _registered_view(vehicle):
    if vehicle is None:
        return None
    return {
        "plate": vehicle.plate,
        "plate_colour": vehicle.plate_color,
        "vehicle_colour": vehicle.body_color,
        "vehicle_type": canonical_vehicle_type(vehicle.vehicle_type),
        "tare_kg": vehicle.tare_kg,
    }


def _history(sighting, gate):
    """The plate's latest reads before this one (48 h, bounded), and the latest at another gate."""
    earlier = store.plate_sightings(
        sighting.plate,
        since=sighting.at - risk_features.HISTORY_MS,
        before=sighting.at,
        limit=risk_features.HISTORY_READS,
    )
    recent = [
        {
            "ts": s.at,
            "gate_id": s.mine_id,
            "vehicle_colour": s.vehicle_color,
            "vehicle_type": s.vehicle_type,
            "plate_colour": s.plate_color,
        }
        for s in reversed(earlier)  # oldest first, as the feature module expects
    ]
    previous = next((s for s in earlier if s.mine_id != gate["gate_id"]), None)
    other_gate = places.gate_point(previous.mine_id) if previous else None
    previous_view = (
        {"ts": previous.at, "gate_id": previous.mine_id, "lonlat": other_gate["lonlat"]} if other_gate else None
    )
    return recent, previous_view


def resolve_misread(sighting, gate, fix_reader):
    """The registered truck an unknown read most likely names (backend.risk.misread), or None.

    Candidates come from the confusion table (bounded), are looked up in one batched read of
    plate claims, and only the few registered ones cost reads: the truck, its fix, its booking.
    """
    candidates = risk_features.misread_candidates(sighting.plate)
    owners = accounts_service.plate_owners(sorted(candidates))
    weighted = misread.likeliest_registered(candidates, owners)
    evidence = {}
    for plate in weighted:
        vehicle = accounts_service.find_vehicle(owners[plate])
        fix = fix_reader(vehicle, at_ms=sighting.at) if vehicle else None
        booked = active_waybill(sighting.mine_id, plate, at_ms=sighting.at, vehicle_id=owners[plate]) is not None
        evidence[plate] = misread.candidate_evidence(gate=gate, ts=sighting.at, last_fix=fix, booked_here=booked)
    return misread.resolve(weighted, evidence)


def _lookalike_nearby(sighting, gate, fix_reader):
    """Is a registered look-alike plate (8/B, 3/8 …) at this gate now, or booked here? False when none is registered."""
    registered = sorted(accounts_service.plate_owners(sorted(risk_features.lookalike_variants(sighting.plate))).items())
    if not registered:
        return False
    fixes, reads, booked = [], [], []
    for plate, owner in registered:
        vehicle = accounts_service.find_vehicle(owner)
        fixes.append(fix_reader(vehicle, at_ms=sighting.at) if vehicle else None)
        window = risk_features.LOOKALIKE_FRESH_MS
        reads += [
            {"ts": s.at, "gate_id": s.mine_id}
            for s in store.plate_sightings(plate, since=sighting.at - window, before=sighting.at + window)
        ]
        # The truck the camera misread carries its own booking here (as the training worlds assume).
        booked.append(active_waybill(sighting.mine_id, plate, at_ms=sighting.at, vehicle_id=owner) is not None)
    return risk_features.lookalike_at_gate(gate=gate, ts=sighting.at, fixes=fixes, sightings=reads, booked=booked)


def active_waybill(mine_id, plate, *, at_ms, vehicle_id=None):
    """The plate's newest waybill at the mine between booking and exit (or held), or None."""
    vehicle_id = vehicle_id or accounts_service.plate_owner(plate)
    if not vehicle_id:
        return None  # waybills name registered trucks only
    found = waybills.vehicle_waybills_at_mine(
        mine_id=mine_id,
        vehicle_id=vehicle_id,
        plate=plate,
        states=GATE_STATES,
        since_ms=at_ms - ACTIVE_WINDOW_MS,
        limit=1,
    )
    return found[0] if found else None


def _prior_fix(vehicle, last_fix, fix_reader):
    if vehicle is None or last_fix is None:
        return None
    return fix_reader(vehicle, at_ms=last_fix["ts"] - risk_features.PRIOR_FIX_BACK_MS)


def gather(sighting, *, fix_reader):
    """Every DB read the decision needs, as the shared feature module's inputs.

    An unknown read that resolves as a misread is scored as the truck it names: ``sighting.plate``
    becomes that plate (the raw read kept in ``resolved_from``) before the plate's history is read.
    """
    gate = places.gate_point(sighting.mine_id)
    valid = plate_kind(sighting.plate) is not None
    vehicle = accounts_service.find_vehicle_by_plate(sighting.plate) if valid else None
    resolution = None
    if valid and vehicle is None and not sighting.resolved_from:
        resolution = resolve_misread(sighting, gate, fix_reader)
        if resolution:
            sighting.resolved_from, sighting.plate = sighting.plate, resolution["plate"]
            sighting.resolution = resolution
            vehicle = accounts_service.find_vehicle_by_plate(sighting.plate)
    recent, previous = _history(sighting, gate)
    waybill = (
        active_waybill(sighting.mine_id, sighting.plate, at_ms=sighting.at, vehicle_id=vehicle.vehicle_id)
        if vehicle
        else None
    )
    last_fix = fix_reader(vehicle, at_ms=sighting.at) if vehicle else None
    return {
        "gate": gate,
        "vehicle": vehicle,
        "resolution": resolution,
        "waybill": waybill,
        "last_fix": last_fix,
        "prior_fix": _prior_fix(vehicle, last_fix, fix_reader),
        "recent_sightings": recent,
        "previous_sighting": previous,
        "recent_tares": store.recent_tares(vehicle.vehicle_id) if vehicle else [],
        "lookalike_nearby": _lookalike_nearby(sighting, gate, fix_reader),
    }


def _blue_corroborated(vehicle, recent_sightings):
    """A blue plate read counts only with a second signal: the registry or another recent read."""
    if vehicle is not None and vehicle.plate_color == "blue":
        return True
    since = max((s["ts"] for s in recent_sightings), default=0) - SIX_HOURS_MS
    return any(s.get("plate_colour") == "blue" and s["ts"] >= since for s in recent_sightings)


def hard_rules(sighting, vehicle, recent_sightings=()):
    """Rules that alert whatever the model says; none fires on one camera attribute read alone."""
    if plate_kind(sighting.plate) is None:
        return ["invalid_plate"]
    rules = []
    if vehicle is None:
        rules.append("unknown_plate")  # only after misread resolution found no truck
    heavy_by_registry = vehicle is not None and vehicle.tare_kg + vehicle.rated_load_kg > HEAVY_GROSS_KG
    heavy_by_camera = (sighting.vehicle_type or "").startswith("heavy_")
    # A single blue read of a yellow-registered truck is the plate_colour_mismatch feature, not a block.
    if (
        sighting.plate_color == "blue"
        and (heavy_by_registry or heavy_by_camera)
        and _blue_corroborated(vehicle, recent_sightings)
    ):
        rules.append("heavy_on_blue")
    if vehicle is not None and vehicle.status == "blocked":
        rules.append("blocked_vehicle")
    return rules


def _clean(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def _feature_sighting(sighting):
    return {
        "plate": sighting.plate,
        "gate_id": sighting.mine_id,
        "ts": sighting.at,
        "plate_colour": sighting.plate_color,
        "vehicle_colour": sighting.vehicle_color,
        "vehicle_type": sighting.vehicle_type,
        "confidence": sighting.confidence,
        "tare_kg": sighting.tare_kg,
    }


def evaluate(sighting, inputs):
    """Features, model score, strongest signals and hard rules for one sighting."""
    features = risk_features.compute_features(
        sighting=_feature_sighting(sighting),
        registered_vehicle=_registered_view(inputs["vehicle"]),
        last_fix=inputs["last_fix"],
        prior_fix=inputs["prior_fix"],
        has_terminal=None if inputs["vehicle"] is None else bool(inputs["vehicle"].terminal_id),
        previous_sighting=inputs["previous_sighting"],
        recent_sightings=inputs["recent_sightings"],
        recent_tares=inputs["recent_tares"],
        lookalike_nearby=inputs["lookalike_nearby"],
        active_waybill_at_mine=inputs["waybill"] is not None,
        gate=inputs["gate"],
    )
    score = risk_model.score(features)
    threshold = risk_model.threshold()
    signals = risk_model.strongest_signals(features) if score >= threshold / 2 else []
    return {
        "features": {k: _clean(v) for k, v in features.items()},
        "score": round(score, 6),
        "threshold": threshold,
        "signals": signals,
        "rules": hard_rules(sighting, inputs["vehicle"], inputs["recent_sightings"]),
    }


def evidence_of(sighting, inputs, result):
    """What a person needs to judge the alert: the gate, the truck's last fix, the numbers."""
    f, vehicle, fix = result["features"], inputs["vehicle"], inputs["last_fix"]
    return {
        "gate": {"mine_id": sighting.mine_id, "lonlat": inputs["gate"]["lonlat"]},
        "last_fix": {"lonlat": fix["lonlat"], "at_ms": fix["ts"]} if fix else None,
        "numbers": {
            "distance_m": f["fix_distance_m"],
            "fix_age_s": f["fix_age_s"],
            "implied_speed_kmh": f["fix_implied_speed_kmh"],
            "prev_sighting_speed_kmh": f["prev_sighting_implied_speed_kmh"],
            "distinct_gates_6h": f["distinct_gates_6h"],
            "read_confidence": f["read_confidence"],
            "plate_read": sighting.resolved_from or sighting.plate,
            "plate_color_read": sighting.plate_color,
            "plate_color_registered": vehicle.plate_color if vehicle else None,
            "tare_kg": sighting.tare_kg,
            "registered_tare_kg": vehicle.tare_kg if vehicle else None,
        },
    }


def _reason(result):
    if result["rules"]:
        return "; ".join(RULE_MESSAGES[r] for r in result["rules"])
    return f"套牌风险 fake-plate risk {result['score']:.2f} ≥ {result['threshold']:.2f}"


def _raise(sighting, inputs, result, *, now_ms):
    waybill = inputs["waybill"]
    vehicle = inputs["vehicle"]
    alert = alerts_service.raise_alert(
        kind="fake_plate",
        mine_id=sighting.mine_id,
        reason=_reason(result),
        actor=SystemActor("gate-risk"),
        now_ms=now_ms,
        waybill_id=waybill.waybill_id if waybill else None,
        plate=sighting.plate,
        vehicle_id=vehicle.vehicle_id if vehicle else None,
        sighting_id=sighting.sighting_id,
        score=result["score"],
        threshold=result["threshold"],
        signals=result["signals"],
        rules=[{"rule": r, "message": RULE_MESSAGES[r]} for r in result["rules"]],
        evidence=evidence_of(sighting, inputs, result),
    )
    return alert.alert_id


def score_sighting(*, sighting, now_ms, fix_reader=None):
    """Score a stored sighting; over the threshold or on a hard rule, alert and hold its waybill."""
    inputs = gather(sighting, fix_reader=fix_reader or places.last_fix)
    result = evaluate(sighting, inputs)
    alerting = bool(result["rules"]) or result["score"] >= result["threshold"]
    alert_id = sighting.alert_id
    if alerting and not alert_id:
        alert_id = _raise(sighting, inputs, result, now_ms=now_ms)
    vehicle, waybill = inputs["vehicle"], inputs["waybill"]
    resolved = {}
    if inputs["resolution"]:  # set once; a rescore keeps what the first scoring recorded
        resolved = {
            "plate": sighting.plate,
            "resolved_from": sighting.resolved_from,
            "resolution": inputs["resolution"],
        }
    store.update_sighting(
        sighting,
        score=result["score"],
        threshold=result["threshold"],
        signals=result["signals"],
        features=result["features"],
        rules=result["rules"],
        evidence=evidence_of(sighting, inputs, result),
        decision="alert" if alerting else "pass",
        alert_id=alert_id,
        scored_at=now_ms,
        vehicle_id=vehicle.vehicle_id if vehicle else None,
        waybill_id=sighting.waybill_id or (waybill.waybill_id if waybill else None),
        **resolved,
    )
    return sighting


def rescore_for_vehicle(*, vehicle_id, now_ms, fix_reader=None):
    """Score again the truck's recent entry reads (late blind-zone GPS changes the evidence)."""
    since = now_ms - setting("GATE_RESCORE_WINDOW_MS")
    rescored = []
    for sighting in store.vehicle_sightings(vehicle_id, since=since):
        if sighting.direction == "in":
            rescored.append(score_sighting(sighting=sighting, now_ms=now_ms, fix_reader=fix_reader))
    return rescored


LATE_FIX_MS = 120_000  # a fix this much older than its upload came out of a blind zone


def on_late_fix(*, vehicle_id, at_ms, now_ms, **_):
    """Tracking's consumer for one fix: see on_late_fixes."""
    return on_late_fixes(vehicle_id=vehicle_id, fixes=[{"at_ms": at_ms}], now_ms=now_ms)


def on_late_fixes(*, vehicle_id, fixes, now_ms, **_):
    """Late (blind-zone) fixes rescore the truck's later reads that were judged on an older fix; one query a batch."""
    late = [fix["at_ms"] for fix in fixes if now_ms - fix["at_ms"] >= LATE_FIX_MS]
    if not late:
        return []
    newest_late = max(late)
    rescored = []
    for sighting in store.vehicle_sightings(
        vehicle_id, since=max(min(late), now_ms - setting("GATE_RESCORE_WINDOW_MS"))
    ):
        used = ((sighting.evidence or {}).get("last_fix") or {}).get("at_ms") or 0
        if sighting.direction == "in" and used < newest_late:
            rescored.append(score_sighting(sighting=sighting, now_ms=now_ms))
    return rescored

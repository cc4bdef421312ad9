"""A trip's route-deviation and long-stop detections raised as alerts the dispatcher and the carrier see."""

from backend.alerts import service as alerts_service
from backend.tracking import settings


def _reason(kind, numbers):
    if kind == "route_deviation":
        return (
            f"偏离路线 off the route by {numbers['off_route_m'] / 1000:.1f} km "
            f"(corridor {numbers['corridor_m'] / 1000:.1f} km) for {numbers['off_route_min']} min"
        )
    return f"长时间停车 stopped {numbers['stopped_min']} min outside the mine, the site and known places"


def _numbers(detection):
    numbers = dict(detection["detail"])
    minutes = (detection["at_ms"] - detection["since"]) // 60000
    if detection["kind"] == "route_deviation":
        numbers.update(corridor_m=settings.get("TRACK_CORRIDOR_M"), off_route_min=minutes)
    else:
        numbers.update(stopped_min=minutes, stop_limit_min=settings.get("TRACK_LONG_STOP_MS") // 60000)
    return numbers


def raise_for(waybill, detection, *, now_ms):
    """Raise one trip detection as an alert (once per episode); returns the alert id, new or not."""
    numbers = _numbers(detection)
    evidence = {
        "position": {"lonlat": detection["point"], "at_ms": detection["at_ms"]},
        "since_ms": detection["since"],
        "numbers": numbers,
        "waybill": {
            "waybill_id": waybill.waybill_id,
            "state": waybill.state,
            "mine_id": waybill.mine_id,
            "destination": (waybill.destination or {}).get("address"),
        },
    }
    episode = f"{waybill.waybill_id}_{detection['since']}"
    alerts_service.raise_episode_alert(
        kind=detection["kind"],
        episode=episode,
        mine_id=waybill.mine_id,
        reason=_reason(detection["kind"], numbers),
        now_ms=now_ms,
        waybill_id=waybill.waybill_id,
        plate=waybill.plate,
        vehicle_id=waybill.vehicle_id,
        carrier_id=waybill.carrier_id,
        evidence=evidence,
    )
    return alerts_service.episode_alert_id(detection["kind"], episode)

"""Dual identification: a QR pass and a plate read on the same lane, within a window, must agree."""

from backend.accounts import service as accounts_service
from backend.alerts import service as alerts_service
from backend.catalogue import service as catalogue_service
from backend.common.errors import ApiError, Conflict
from backend.gate import admission, store
from backend.gate.settings import setting
from backend.waybills.service import SystemActor


def lane_key(mine_id, lane):
    return f"{mine_id}#{lane or '1'}"


def device_lane(device, lane):
    """The lane a device's read or scan is on, or a 409 before anything is stored (a read we could not score).

    A device registered on a lane reads on that lane (the camera's own channel number means nothing to the
    site), and the lane must still be one of its site's; a device registered before lanes existed keeps
    pairing by the lane its payload names. Either way its site must exist.
    """
    site, registered = catalogue_service.site_and_lane(device.mine_id, device.lane_id)
    if site is None:
        raise Conflict("device_site_unknown", f"this device's site {device.mine_id} does not exist: re-register it")
    if device.lane_id is None:
        return lane
    if registered is None:
        raise Conflict("device_lane_unknown", f"lane {device.lane_id} is no longer a lane of {device.mine_id}")
    return device.lane_id


def mismatch_reason(sighting, scan):
    """Why the pass and the plate read do not name the same truck, or None when they do."""
    if scan.plate and sighting.plate != scan.plate:
        return f"双重识别不符 plate read {sighting.plate} ≠ pass plate {scan.plate}"
    if scan.vehicle_id and sighting.vehicle_id and scan.vehicle_id != sighting.vehicle_id:
        return f"双重识别不符 vehicle {sighting.vehicle_id} ≠ pass vehicle {scan.vehicle_id}"
    return None


def _admit(sighting, scan, *, now_ms):
    """Enter the waybill; a refusal (not called, held, blocked) is the outcome, not an error."""
    vehicle = accounts_service.find_vehicle(scan.vehicle_id) if scan.vehicle_id else None
    if vehicle is not None and vehicle.status == "blocked":
        return "refused", "车辆已被封禁 vehicle is blocked"
    if sighting.decision == "alert":
        return "refused", "套牌预警 plate alert open"
    try:
        admission.admit(waybill_id=scan.waybill_id, actor=SystemActor(scan.device_id, "device"), now_ms=now_ms)
    except ApiError as error:
        return "refused", error.message
    return "entered", None


def pair(sighting, scan, *, now_ms):
    """Pair a read with a scan: a mismatch holds the waybill with the reason; a match enters it."""
    reason = mismatch_reason(sighting, scan)
    try:
        store.pair(sighting, scan, outcome="mismatch" if reason else "pending")
    except store.AlreadyPaired:
        return {"outcome": "waiting", "waybill_id": scan.waybill_id, "reason": None}
    if reason:
        alerts_service.raise_alert(
            kind="dual_id_mismatch",
            mine_id=scan.mine_id,
            reason=reason,
            actor=SystemActor(scan.device_id, "device"),
            now_ms=now_ms,
            waybill_id=scan.waybill_id,
            plate=scan.plate,
            vehicle_id=scan.vehicle_id,
            sighting_id=sighting.sighting_id,
            evidence={
                "numbers": {
                    "plate_read": sighting.plate,
                    "pass_plate": scan.plate,
                    "read_confidence": sighting.confidence,
                    "seconds_apart": abs(sighting.at - scan.at) / 1000,
                }
            },
        )
        return {"outcome": "mismatch", "waybill_id": scan.waybill_id, "reason": reason}
    outcome, why = _admit(sighting, scan, now_ms=now_ms)
    store.set_scan_outcome(scan, outcome)
    return {"outcome": outcome, "waybill_id": scan.waybill_id, "reason": why}


def _window(at):
    window = setting("GATE_DUAL_ID_WINDOW_MS")
    return at - window, at + window


def after_sighting(sighting, *, now_ms):
    """Pair a fresh entry read with the lane's waiting QR scan, if any."""
    since, until = _window(sighting.at)
    scans = store.unpaired_scans(sighting.lane_key, since=since, until=until)
    if not scans:
        return {"outcome": "waiting", "waybill_id": None, "reason": None}
    return pair(sighting, scans[0], now_ms=now_ms)


def after_scan(scan, *, now_ms):
    """Pair a fresh QR scan with the lane's waiting plate read, if any."""
    since, until = _window(scan.at)
    # A read that raised an alert already held its truck; once cleared the truck is read again.
    sightings = [s for s in store.unpaired_sightings(scan.lane_key, since=since, until=until) if s.decision != "alert"]
    if not sightings:
        return {"outcome": "waiting", "waybill_id": scan.waybill_id, "reason": None}
    return pair(sightings[0], scan, now_ms=now_ms)

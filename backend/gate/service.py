"""The gate's verbs: record a plate read, a QR scan or a weighing; show sightings, holds and tickets."""

from backend.common.errors import ApiError, Conflict, NotFound
from backend.common.ids import new_id
from backend.gate import admission, identify, scoring, store, weighing
from backend.gate.models import QrScan, Sighting
from backend.waybills import service as waybills_service
from backend.waybills.service import SystemActor


def _require_mine(device, lane=None):
    """(site, lane) of a device's post, checked before anything is stored (see identify.device_lane)."""
    if not device.mine_id:
        raise ApiError("device_without_mine", "this device is not assigned to a mine", status=403)
    return device.mine_id, identify.device_lane(device, lane)


def _exit(sighting, *, now_ms):
    """An exit-lane read releases the plate's weighed truck (gross_weighed → released)."""
    waybill = scoring.active_waybill(sighting.mine_id, sighting.plate, at_ms=sighting.at)
    if waybill is None or waybill.state != "gross_weighed":
        state = waybill.state if waybill else None
        return {
            "outcome": "not_released",
            "waybill_id": waybill.waybill_id if waybill else None,
            "reason": f"waybill is {state}" if state else "no weighed truck with this plate",
        }
    waybills_service.transition(
        waybill_id=waybill.waybill_id, action="release", actor=SystemActor(sighting.device_id, "device"), now_ms=now_ms
    )
    return {"outcome": "released", "waybill_id": waybill.waybill_id, "reason": None}


def record_sighting(*, read, device, now_ms, fix_reader=None):
    """Store a camera read, score it, then pair it (entry) or release the truck (exit)."""
    mine_id, lane = _require_mine(device, read["lane"])
    sighting = store.save(
        Sighting(
            new_id("si"),
            mine_id=mine_id,
            lane_key=identify.lane_key(mine_id, lane),
            device_id=device.device_id,
            direction=read["direction"],
            plate=read["plate"],
            plate_color=read["plate_color"],
            vehicle_color=read["vehicle_color"],
            vehicle_type=read["vehicle_type"],
            confidence=read["confidence"],
            image_ref=read["image_ref"],
            source=read["source"],
            at=read["at"],
        )
    )
    if sighting.direction == "out":
        return sighting, _exit(sighting, now_ms=now_ms)
    scoring.score_sighting(sighting=sighting, now_ms=now_ms, fix_reader=fix_reader)
    return sighting, identify.after_sighting(sighting, now_ms=now_ms)


def record_scan(*, token, lane, at, device, now_ms):
    """Verify a scanned gate pass and pair it with the lane's plate read."""
    mine_id, lane = _require_mine(device, lane)
    claims = admission.verify_pass(token, now_ms=now_ms)
    if claims.get("mine_id") and claims["mine_id"] != mine_id:
        raise Conflict("pass_wrong_mine", "this pass is for another mine", details={"mine_id": claims["mine_id"]})
    scan = store.save(
        QrScan(
            new_id("qr"),
            mine_id=mine_id,
            lane_key=identify.lane_key(mine_id, lane),
            device_id=device.device_id,
            waybill_id=claims["waybill_id"],
            vehicle_id=claims.get("vehicle_id"),
            plate=claims.get("plate"),
            at=at or now_ms,
        )
    )
    return scan, identify.after_scan(scan, now_ms=now_ms)


def record_weighing(*, reading, device, now_ms):
    """A weighbridge reading (see gate.weighing)."""
    _require_mine(device, device.lane_id)
    return weighing.record_weighing(reading=reading, device=device, now_ms=now_ms)


def send_back_to_reweigh(*, principal, waybill_id, reason, now_ms):
    """Gate staff send an overloaded truck back to unload the surplus and weigh again (see gate.weighing)."""
    return weighing.send_back_to_reweigh(principal=principal, waybill_id=waybill_id, reason=reason, now_ms=now_ms)


def _staff_mine(principal, mine_id):
    if principal.role == "gate":
        return principal.mine_id
    if not mine_id:
        from backend.common.errors import field_error

        raise field_error("mine_id", "required for the dispatch centre")
    return mine_id


def list_sightings(*, principal, mine_id, limit, last_evaluated_key):
    """A mine's live sightings with scores, newest first."""
    return store.list_mine_sightings(
        _staff_mine(principal, mine_id), limit=limit, last_evaluated_key=last_evaluated_key
    )


def list_holds(*, principal, mine_id, limit, last_evaluated_key):
    """A mine's held waybills, each with its reason."""
    return waybills_service.list_by(
        "mine", _staff_mine(principal, mine_id), limit=limit, last_evaluated_key=last_evaluated_key, state="held"
    )


def list_mine_tickets(*, principal, mine_id, limit, last_evaluated_key):
    return store.list_mine_tickets(_staff_mine(principal, mine_id), limit=limit, last_evaluated_key=last_evaluated_key)


def weighing_times(mine_id, *, limit=60):
    """(at, device_id, kind) of the mine's latest counted weighings: the appointments queue measures the lane cycle."""
    tickets, _ = store.list_mine_tickets(mine_id, limit=limit, last_evaluated_key=None)
    return [(t.at, t.device_id, t.kind) for t in tickets]


def waybill_tickets(*, principal, waybill_id):
    """A waybill's weigh tickets for its parties (driver, shipper, buyer, carrier, gate, dispatch)."""
    waybills_service.get_visible(principal, waybill_id)
    return store.waybill_tickets(waybill_id)


def get_ticket(*, principal, ticket_id):
    ticket = store.get_ticket(ticket_id)
    if ticket is None:
        raise NotFound("ticket_not_found", "weigh ticket not found")
    try:
        waybills_service.get_visible(principal, ticket.waybill_id)
    except NotFound:
        raise NotFound("ticket_not_found", "weigh ticket not found") from None
    return ticket

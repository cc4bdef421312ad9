"""A carrier's side: loads entrusted to it, accept or decline, assign and reassign its own drivers."""

from backend.common.errors import ApiError, NotFound
from backend.dispatch import service
from backend.trust import service as trust_service
from backend.waybills import service as waybills

ENTRUST_FILTERS = ("pending", "accepted", "all")


def _entrusted(principal, waybill_id):
    """A load entrusted to the principal's carrier (404 for anyone else's)."""
    return _require_carrier(principal, waybills.get(waybill_id))


def _require_carrier(principal, waybill):
    if principal.role != "admin" and (not principal.org_id or waybill.carrier_id != principal.org_id):
        raise NotFound("waybill_not_found", "waybill not found")
    return waybill


def list_entrusted(*, principal, status, limit, last_evaluated_key):
    """The carrier's loads (by_carrier index), optionally only pending or accepted entrustments."""
    items, lek = waybills.list_by("carrier", principal.org_id, limit=limit, last_evaluated_key=last_evaluated_key)
    if status != "all":
        items = [w for w in items if w.entrust_status == status]
    return items, lek


def _require_entrust(waybill, allowed):
    if waybill.entrust_status not in allowed:
        raise ApiError(
            "not_entrusted",
            f"this load's entrustment is {waybill.entrust_status or 'none'}",
            status=409,
            details={"entrust_status": waybill.entrust_status},
        )


def accept(*, principal, waybill_id, now_ms):
    """The carrier takes on an entrusted load."""
    first = _entrusted(principal, waybill_id)

    def check(waybill):
        _require_entrust(waybill, ("pending",))

    return waybills.transition(
        waybill_id=waybill_id,
        action="accept_entrustment",
        actor=principal,
        now_ms=now_ms,
        changes={"entrust_status": "accepted"},
        guard=check,
        waybill=first,
    )


def decline(*, principal, waybill_id, now_ms, reason=None):
    """The carrier refuses: the load goes back to its shipper, out of the carrier's list."""
    first = _entrusted(principal, waybill_id)

    def check(waybill):
        _require_entrust(waybill, ("pending", "accepted"))

    return waybills.transition(
        waybill_id=waybill_id,
        action="decline_entrustment",
        actor=principal,
        now_ms=now_ms,
        reason=reason,
        guard=check,
        waybill=first,
        changes=lambda w: {"entrust_status": "declined", "carrier_id": None, "declined_by": w.carrier_id},
    )


def _crew(principal, waybill_id, driver_id, vehicle_id, now_ms):
    """The load entrusted to the principal's carrier, its driver and its vehicle, read in one round trip."""
    user, vehicle, waybill, papers, truck_claim = service.crew_and_load(
        driver_id=driver_id, vehicle_id=vehicle_id, waybill_id=waybill_id
    )
    _require_carrier(principal, waybill)
    driver = service.active_driver(driver_id, carrier_id=waybill.carrier_id, user=user)
    # A truck already on another load is refused here, before the write (its claim came in the same batch).
    vehicle = service.fitting_vehicle(
        vehicle,
        carrier_id=waybill.carrier_id,
        tonnage_kg=waybill.tonnage_kg,
        papers=papers,
        now_ms=now_ms,
        claim=truck_claim,
        waybill_id=waybill_id,
        driver_id=driver_id,
    )
    return waybill, driver, vehicle


def assign(*, principal, waybill_id, driver_id, vehicle_id, now_ms):
    """Dispatch one of the carrier's own drivers and vehicles to an entrusted load."""
    first, driver, vehicle = _crew(principal, waybill_id, driver_id, vehicle_id, now_ms)
    _require_entrust(first, ("pending", "accepted"))

    def build(waybill):
        steps, quota_date = service.take_steps(waybill, now_ms=now_ms)
        steps += trust_service.carrier_steps(waybill.carrier_id)  # a suspended carrier dispatches nobody
        changes = {
            "driver_id": driver.user_id,
            "vehicle_id": vehicle.vehicle_id,
            "plate": vehicle.plate,
            "entrust_status": "accepted",
            "via": "carrier",
            "quota_date": quota_date,
        }
        return changes, steps, lambda w: _require_entrust(w, ("pending", "accepted"))

    return waybills.fresh_transition(
        waybill_id=waybill_id, action="assign", actor=principal, now_ms=now_ms, build=build, waybill=first
    )


def reassign(*, principal, waybill_id, driver_id, vehicle_id, now_ms, reason=None):
    """Change driver or vehicle before the slot is booked (state assigned only)."""
    first, driver, vehicle = _crew(principal, waybill_id, driver_id, vehicle_id, now_ms)
    changes = {"driver_id": driver.user_id, "vehicle_id": vehicle.vehicle_id, "plate": vehicle.plate}
    # The transition moves the driver's one-active claim from the old driver to the new one.
    return waybills.transition(
        waybill_id=waybill_id,
        action="reassign",
        actor=principal,
        now_ms=now_ms,
        reason=reason,
        changes=changes,
        waybill=first,
    )

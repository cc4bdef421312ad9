"""What every assignment shares: who may drive what, and the steps that take or give back a truck."""

from backend.accounts import service as accounts_service
from backend.accounts.plates import PlateError, validate_plate
from backend.auth import service as auth_service
from backend.common import batch
from backend.common.clock import shanghai_date
from backend.common.errors import ApiError, Conflict, NotFound, field_error
from backend.dispatch import quota_counters, store
from backend.trust import service as trust_service
from backend.waybills import service as waybills


def active_driver(driver_id, carrier_id=None, *, user=None):
    """A driver account that may take loads (of the given carrier, when named); `user` if already read."""
    driver = user if user is not None else auth_service.get_user(driver_id)
    if driver is None or driver.role != "driver" or (carrier_id and driver.org_id != carrier_id):
        raise NotFound("driver_not_found", "driver not found", details={"fields": {"driver_id": ["unknown"]}})
    if driver.status != "active" or not driver.org_id:
        raise Conflict("driver_inactive", "this driver account cannot take loads")
    return driver


def fitting_vehicle(
    vehicle, *, carrier_id, tonnage_kg, papers=False, now_ms=None, claim=False, waybill_id=None, driver_id=None
):
    """The carrier's own vehicle (as read), active, with a valid plate and a rated load that covers the tonnage.

    With `papers` (the driver's credential record from the same batch, None when absent) a heavy truck also
    needs its 道路运输证 and the driver's licence and 从业资格证 valid today: 409 naming the certificate.
    With `claim` (the truck's one-active claim from the same batch, None when free) a truck already on another
    active load is refused before any write: 409 vehicle_busy (driver_busy when it is `driver_id`'s own load).
    """
    if vehicle is None or vehicle.carrier_id != carrier_id:
        raise NotFound(
            "vehicle_not_found",
            "vehicle not found in your fleet",
            details={"fields": {"vehicle_id": ["not in your fleet"]}},
        )
    if vehicle.status != "active":
        raise Conflict(
            "vehicle_blocked",
            f"vehicle {vehicle.plate} is blocked: {vehicle.block_reason or ''}",
            details={"fields": {"vehicle_id": ["blocked"]}},
        )
    try:
        validate_plate(vehicle.plate, vehicle.plate_color)
    except PlateError as error:
        raise field_error("vehicle_id", f"plate {vehicle.plate} is not valid: {error}", code="invalid_plate") from None
    if vehicle.rated_load_kg < tonnage_kg:
        raise ApiError(
            "vehicle_too_small",
            f"rated load {vehicle.rated_load_kg} kg is below {tonnage_kg} kg",
            status=422,
            # The two weights let a screen say it in its own words and units (pwa/lib/error-words.js DETAIL_WORDS).
            details={
                "fields": {"vehicle_id": ["rated load below the tonnage"]},
                "rated_load_kg": vehicle.rated_load_kg,
                "tonnage_kg": tonnage_kg,
            },
        )
    if claim is not False:
        busy = waybills.busy_elsewhere(claim, holder_id=vehicle.vehicle_id, kind="vehicle", waybill_id=waybill_id)
        if busy is not None:
            # The truck is on the asking driver's own load: say that, not that someone else has the truck.
            kind = "driver" if driver_id and busy.driver_id == driver_id else "vehicle"
            raise waybills.busy_error(kind, waybill_id)
    if papers is not False:
        accounts_service.require_certificates(vehicle, papers, now_ms=now_ms)
    return vehicle


def crew_and_load(*, driver_id, vehicle_id, waybill_id):
    """The driver, the vehicle, the waybill, the driver's papers and the truck's claim, read in one round trip."""
    user, vehicle, waybill, papers, _standing, truck_claim = crew_load_and_standing(
        driver_id=driver_id, vehicle_id=vehicle_id, waybill_id=waybill_id
    )
    return user, vehicle, waybill, papers, truck_claim


def crew_load_and_standing(*, driver_id, vehicle_id, waybill_id):
    """The same reads plus the driver's credit standing and the truck's one-active claim in the same round trip.

    A suspended driver gets 403; the claim (None when the truck is free) goes to `fitting_vehicle`.
    """
    user, vehicle, waybill, papers, standing, truck_claim = batch.get_many(
        auth_service.user_read(driver_id),
        accounts_service.vehicle_read(vehicle_id),
        waybills.read(waybill_id),
        accounts_service.credential_read(driver_id),
        trust_service.standing_read(driver_id),
        waybills.active_claim_read(vehicle_id, kind="vehicle"),
    )
    trust_service.require_not_suspended(standing)  # suspension takes a party out of the hall and dispatch
    return user, vehicle, waybills.found(waybill), papers, standing, truck_claim


def under_quota(waybill):
    """Shipper loads made from an allocation are under the shipper's daily quota; retail orders are not."""
    return bool(waybill.shipper_id) and waybill.kind == "bulk"


def take_steps(waybill, *, now_ms):
    """Steps of an assignment beyond the driver's claim (which the transition takes), and the quota day used.

    A bulk load takes one truck of its shipper's quota at its mine for today (`quota_date`).
    """
    if not under_quota(waybill):
        return [], None
    date = shanghai_date(now_ms)
    return [quota_step(shipper_id=waybill.shipper_id, mine_id=waybill.mine_id, date=date, now_ms=now_ms)], date


def quota_step(*, shipper_id, mine_id, date, now_ms):
    """One truck of the day's quota; if the condition fails because no plan exists yet, plan once and retry."""
    op = quota_counters.consume_quota_op(shipper_id, mine_id, date)
    op.recover = lambda: _planned_now(mine_id=mine_id, date=date, now_ms=now_ms)
    return op


def _planned_now(*, mine_id, date, now_ms):
    if store.get_plan(mine_id, date) is not None:
        return False  # the plan exists: the quota is really used up
    # Planning reads orders and allocations (and imports their domains): loaded only when a day has no plan yet.
    from backend.dispatch import quotas

    quotas.ensure_plan(mine_id=mine_id, date=date, now_ms=now_ms)
    return True


def give_back_steps(waybill):
    """Steps undoing an assignment beyond the driver's claim: return the quota truck it used."""
    return [quota_release_step(waybill)] if waybill.quota_date else []


def quota_release_step(waybill):
    """The step giving back the truck of its shipper's quota a load took on its quota day."""
    return quota_counters.release_quota_op(waybill.shipper_id, waybill.mine_id, waybill.quota_date)

"""What every assignment shares: who may drive what, and the steps that take or give back a truck."""
from backend.accounts import store as accounts_store
from backend.accounts.plates import PlateError, validate_plate
from backend.auth import store as auth_store
from backend.common.clock import shanghai_date
from backend.common.errors import ApiError, Conflict, NotFound, field_error
from backend.dispatch import quotas, store
from backend.waybills import service as waybills
from backend.waybills.store import TxOp
from backend.waybills.transitions import ACTIVE_STATES



def fresh_transition(*, waybill_id, action, actor, now_ms, build, reason=None, where=None):
    """A transition whose changes and extra steps depend on the waybill as read (rebuilt on every attempt).

    `build(waybill)` returns (changes, extra_ops, guard); the transition re-reads the waybill on a
    conflict and builds again, so steps never go out against a stale version.
    """
    built = {}

    def changes(waybill):
        built["changes"], built["ops"], check = build(waybill)
        if check:
            check(waybill)
        return built["changes"]

    return waybills.transition(waybill_id=waybill_id, action=action, actor=actor, now_ms=now_ms, reason=reason,
                               where=where, changes=changes, extra_ops=lambda _waybill: built["ops"])


def active_driver(driver_id, carrier_id=None):
    """A driver account that may take loads (of the given carrier, when named)."""
    driver = auth_store.get_user(driver_id)
    if driver is None or driver.role != "driver" or (carrier_id and driver.org_id != carrier_id):
        raise NotFound("driver_not_found", "driver not found", details={"fields": {"driver_id": ["unknown"]}})
    if driver.status != "active" or not driver.org_id:
        raise Conflict("driver_inactive", "this driver account cannot take loads")
    return driver


def fitting_vehicle(vehicle_id, *, carrier_id, tonnage_kg):
    """The carrier's own vehicle, active, with a valid plate and a rated load that covers the tonnage."""
    vehicle = accounts_store.get_vehicle(vehicle_id)
    if vehicle is None or vehicle.carrier_id != carrier_id:
        raise NotFound("vehicle_not_found", "vehicle not found in your fleet",
                       details={"fields": {"vehicle_id": ["not in your fleet"]}})
    if vehicle.status != "active":
        raise Conflict("vehicle_blocked", f"vehicle {vehicle.plate} is blocked: {vehicle.block_reason or ''}",
                       details={"fields": {"vehicle_id": ["blocked"]}})
    try:
        validate_plate(vehicle.plate, vehicle.plate_color)
    except PlateError as error:
        raise field_error("vehicle_id", f"plate {vehicle.plate} is not valid: {error}", code="invalid_plate") from None
    if vehicle.rated_load_kg < tonnage_kg:
        raise ApiError("vehicle_too_small", f"rated load {vehicle.rated_load_kg} kg is below {tonnage_kg} kg",
                       status=422, details={"fields": {"vehicle_id": ["rated load below the tonnage"]}})
    return vehicle


def _busy(waybill_id):
    return Conflict("driver_busy", "this driver already has an active waybill", details={"waybill_id": waybill_id})


def ensure_driver_free(driver_id):
    """Refuse a driver with an active waybill; forget a claim whose waybill has since finished."""
    owner = store.active_owner(driver_id)
    if owner:
        held = waybills.get(owner) if owner else None
        if held is not None and held.driver_id == driver_id and held.state in ACTIVE_STATES:
            raise _busy(owner)
        store.drop_stale_active(driver_id, owner)
    for waybill in store.active_waybills_of(driver_id, ACTIVE_STATES):
        raise _busy(waybill.waybill_id)


def under_quota(waybill):
    """Shipper loads made from an allocation are under the shipper's daily quota; retail orders are not."""
    return bool(waybill.shipper_id) and (waybill.extra or {}).get("kind") == "bulk"


def claim_step(waybill, driver_id):
    """The driver's race-safe "one active waybill" claim (fails if they already hold one)."""
    return TxOp(apply=store.claim_active_op(driver_id, waybill.waybill_id), error=_busy(waybill.waybill_id))


def release_claim_step(waybill):
    """Free the waybill's current driver."""
    return TxOp(apply=store.release_active_op(waybill.driver_id, waybill.waybill_id),
                error=Conflict("claim_missing", "the driver's active claim is already gone"))


def take_steps(waybill, *, driver_id, now_ms):
    """Steps of an assignment: the driver's active claim, and one truck of the shipper's quota."""
    steps = [claim_step(waybill, driver_id)]
    quota = None
    if under_quota(waybill):
        quota = {"shipper_id": waybill.shipper_id, "mine_id": waybill.mine_id, "date": shanghai_date(now_ms)}
        quotas.ensure_plan(mine_id=waybill.mine_id, date=quota["date"], now_ms=now_ms)
        steps.append(quotas.consume_quota_op(**quota))
    return steps, quota


def give_back_steps(waybill):
    """Steps undoing an assignment: free the driver and return the quota truck it used."""
    steps = []
    if waybill.driver_id:
        steps.append(release_claim_step(waybill))
    quota = (waybill.extra or {}).get("quota")
    if quota:
        steps.append(quotas.release_quota_op(quota["shipper_id"], quota["mine_id"], quota["date"]))
    return steps


def with_extra(waybill, **facts):
    """The waybill's extra dict with facts set (None removes a fact)."""
    extra = dict(waybill.extra or {})
    for key, value in facts.items():
        if value is None:
            extra.pop(key, None)
        else:
            extra[key] = value
    return extra

"""Organisations and vehicles; plates and terminals claimed uniquely in the same transaction."""

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.accounts.models import DriverCredential, Organisation, Vehicle
from backend.common import store as common_store
from backend.common.batch import Read


class AlreadyClaimed(Exception):
    """A unique value (plate or terminal) belongs to another vehicle."""


def save_org(org):
    org.save()
    return org


def get_org(org_id):
    try:
        return Organisation.get(org_id)
    except DoesNotExist:
        return None


def list_orgs(kinds=("carrier", "shipper")):
    """Organisations of the given kinds, through the by_kind index (a few hundred companies)."""
    return [org for kind in kinds for org in Organisation.by_kind.query(kind)]


def org_names(org_ids):
    """{org_id: name} for many organisations in batched reads (100 keys a request)."""
    return {org.org_id: org.name for org in Organisation.batch_get(list(set(org_ids)))}


def org_read(org_id):
    """A batch read of one organisation (backend.common.batch)."""
    return Read(Organisation, org_id)


def get_vehicle(vehicle_id):
    try:
        return Vehicle.get(vehicle_id)
    except DoesNotExist:
        return None


def vehicle_read(vehicle_id):
    """A batch read of one vehicle (backend.common.batch)."""
    return Read(Vehicle, vehicle_id)


def get_vehicle_by_plate(plate):
    owner = common_store.unique_owner(f"plate#{plate}")
    return get_vehicle(owner) if owner else None


def plate_owner(plate):
    """The registered vehicle id of a plate (one GetItem on its unique claim), or None."""
    return common_store.unique_owner(f"plate#{plate}")


def plate_owners(plates):
    """{plate: vehicle_id} for the plates that are registered (one BatchGet of their claims)."""
    from backend.common.models import UniqueClaim

    if not plates:
        return {}
    claims = UniqueClaim.batch_get([f"plate#{p}" for p in plates])
    return {c.value.split("#", 1)[1]: c.owner_id for c in claims}


def get_vehicle_by_terminal(terminal_id):
    owner = common_store.unique_owner(f"terminal#{terminal_id}")
    return get_vehicle(owner) if owner else None


def _claims(vehicle):
    values = [f"plate#{vehicle.plate}"]
    if vehicle.terminal_id:
        values.append(f"terminal#{vehicle.terminal_id}")
    return values


def create_vehicle(vehicle):
    """Insert a vehicle with its plate (and terminal) claims, all or nothing."""
    try:
        with db.transaction() as tx:
            for value in _claims(vehicle):
                common_store.unique_claim_op(value, vehicle.vehicle_id)(tx)
            tx.save(vehicle, condition=Vehicle.vehicle_id.does_not_exist())
    except TransactWriteError as error:
        raise AlreadyClaimed() from error
    return vehicle


def replace_vehicle(old, new):
    """Write an edited vehicle, moving changed claims in the same transaction."""
    before, after = set(_claims(old)), set(_claims(new))
    try:
        with db.transaction() as tx:
            for value in before - after:
                common_store.unique_release_op(value, old.vehicle_id)(tx)
            for value in after - before:
                common_store.unique_claim_op(value, new.vehicle_id)(tx)
            tx.save(new, condition=Vehicle.updated_at == old.updated_at)
    except TransactWriteError as error:
        raise AlreadyClaimed() from error
    return new


def list_carrier_vehicles(carrier_id, *, limit, last_evaluated_key):
    """One page of a carrier's vehicles, by plate."""
    query = lambda **kw: Vehicle.by_carrier.query(carrier_id, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def set_vehicle_status(vehicle_id, *, status, reason, now_ms):
    """Block or unblock a vehicle."""
    vehicle = Vehicle(vehicle_id)
    vehicle.update(
        actions=[Vehicle.status.set(status), Vehicle.block_reason.set(reason), Vehicle.updated_at.set(now_ms)],
        condition=Vehicle.vehicle_id.exists(),
    )
    return vehicle


def credential_read(user_id):
    """A batch read of one driver's papers (backend.common.batch)."""
    return Read(DriverCredential, user_id)


def get_credential(user_id):
    try:
        return DriverCredential.get(user_id)
    except DoesNotExist:
        return None


def save_credential(credential):
    credential.save()
    return credential


def carrier_credentials(carrier_id):
    """A carrier's drivers' papers (a fleet is a few dozen drivers: one Query of by_carrier)."""
    return list(DriverCredential.by_carrier.query(carrier_id))


def mark_warned(record, expires):
    """Remember the expiry a reminder was sent for, so the daily job sends it once."""
    model = type(record)
    record.update(actions=[model.cert_warned.set(expires)])

"""Companies, their vehicles and their drivers."""

from backend import events
from backend.accounts import certificates, store
from backend.accounts.models import DriverCredential, Organisation, Vehicle
from backend.accounts.plates import PlateError, validate_plate
from backend.auth import service as auth_service
from backend.common.access import require_org
from backend.common.clock import shanghai_date
from backend.common.errors import ApiError, Conflict, NotFound, field_error
from backend.common.ids import new_id

ORG_KINDS = ("carrier", "shipper")
VEHICLE_FIELDS = (
    "plate",
    "plate_color",
    "axles",
    "tare_kg",
    "rated_load_kg",
    "terminal_id",
    "vehicle_type",
    "body_color",
    "vin",
    "energy_type",
    "gross_mass_kg",
    "transport_cert_no",
    "transport_cert_expires",
)
CREDENTIAL_FIELDS = ("id_number", "licence_class", "licence_valid_until", "qualification_no", "qualification_expires")


def create_org(*, kind, name, now_ms, credit_code=None):
    """Register a company."""
    if kind not in ORG_KINDS:
        raise field_error("kind", f"one of {', '.join(ORG_KINDS)}")
    return store.save_org(Organisation(new_id("org"), kind=kind, name=name, credit_code=credit_code, created_at=now_ms))


def get_org(org_id):
    org = store.get_org(org_id)
    if org is None:
        raise NotFound("org_not_found", "organisation not found")
    return org


def vehicle_read(vehicle_id):
    """A vehicle's read for a batch (backend.common.batch.get_many)."""
    return store.vehicle_read(vehicle_id)


def list_carriers():
    """Every carrier company, by name (what a shipper picks from when entrusting)."""
    return sorted(store.list_orgs(("carrier",)), key=lambda org: org.name)


def _check_vehicle_numbers(fields):
    if not 2 <= fields["axles"] <= 8:
        raise field_error("axles", "between 2 and 8")
    if not 1000 <= fields["tare_kg"] <= 40000:
        raise field_error("tare_kg", "between 1,000 and 40,000 kg")
    if not 500 <= fields["rated_load_kg"] <= 60000:
        raise field_error("rated_load_kg", "between 500 and 60,000 kg")


def checked_numbers(fields):
    """Certificate numbers normalised and their check digits verified; a bad one is a 400 naming its field."""
    for name, value in fields.items():
        if value is not None and name in certificates.VALIDATORS:
            try:
                fields[name] = certificates.VALIDATORS[name](value)
            except certificates.CertificateError as error:
                raise field_error(name, str(error), code="invalid_certificate") from None
    return fields


def _validated(fields):
    _check_vehicle_numbers(fields)
    checked_numbers(fields)
    if fields.get("gross_mass_kg") is not None and fields["gross_mass_kg"] < fields["tare_kg"]:
        raise field_error("gross_mass_kg", "at least the tare")
    try:
        fields["plate"] = validate_plate(
            fields["plate"], fields["plate_color"], gross_kg=fields["tare_kg"] + fields["rated_load_kg"]
        )
    except PlateError as error:
        raise field_error("plate", str(error), code="invalid_plate") from None
    return fields


def _plate_taken():
    return ApiError(
        "plate_taken",
        "this plate or terminal is already registered",
        status=409,
        details={"fields": {"plate": ["already registered"]}},
    )


def create_vehicle(*, principal, carrier_id, now_ms, store=store, **fields):
    """A carrier registers a truck; the plate is unique platform-wide (`store`: a fake in rule tests)."""
    require_org(principal, carrier_id)
    fields = _validated({name: fields.get(name) for name in VEHICLE_FIELDS if name in fields})
    vehicle = Vehicle(new_id("veh"), carrier_id=carrier_id, created_at=now_ms, updated_at=now_ms, **fields)
    try:
        return store.create_vehicle(vehicle)
    except store.AlreadyClaimed:
        raise _plate_taken() from None


def get_vehicle(*, principal, vehicle_id):
    """A vehicle its carrier (or the dispatch centre) may see."""
    vehicle = store.get_vehicle(vehicle_id)
    if vehicle is None:
        raise NotFound("vehicle_not_found", "vehicle not found")
    require_org(principal, vehicle.carrier_id)
    return vehicle


def update_vehicle(*, principal, vehicle_id, now_ms, **changes):
    """Edit a vehicle's record; plate and colour are re-validated together."""
    old = get_vehicle(principal=principal, vehicle_id=vehicle_id)
    fields = {name: getattr(old, name) for name in VEHICLE_FIELDS}
    fields.update({k: v for k, v in changes.items() if k in VEHICLE_FIELDS})
    # A fresh model: a shallow copy would share attribute storage with `old`.
    new = Vehicle(old.vehicle_id, **{k: v for k, v in old.attribute_values.items() if k != "vehicle_id"})
    for name, value in _validated(fields).items():
        setattr(new, name, value)
    new.updated_at = now_ms
    try:
        saved = store.replace_vehicle(old, new)
    except store.AlreadyClaimed:
        raise _plate_taken() from None
    if any(getattr(old, name) != getattr(saved, name) for name in VEHICLE_FIELDS):
        events.publish("papers_changed", kind="vehicle", subject_id=vehicle_id, now_ms=now_ms)
    return saved


def list_vehicles(*, principal, carrier_id, limit, last_evaluated_key):
    require_org(principal, carrier_id)
    return store.list_carrier_vehicles(carrier_id, limit=limit, last_evaluated_key=last_evaluated_key)


def create_driver(*, principal, carrier_id, now_ms, phone, password, name, license_no=None):
    """A carrier adds a driver account to its fleet."""
    require_org(principal, carrier_id)
    return auth_service.create_user(
        phone=phone,
        password=password,
        name=name,
        role="driver",
        org_id=carrier_id,
        license_no=license_no,
        now_ms=now_ms,
    )


def get_driver(*, principal, driver_id):
    """A driver record: the driver themself, their carrier, or the dispatch centre."""
    user = auth_service.get_user(driver_id)
    if user is None or user.role != "driver":
        raise NotFound("driver_not_found", "driver not found")
    if principal.role == "driver":
        if principal.user_id != driver_id:
            raise ApiError("forbidden_tenant", "drivers see only their own record", status=403)
    else:
        require_org(principal, user.org_id)
    return user


def update_driver(*, principal, driver_id, now_ms, **changes):
    """Edit a driver's name, licence or status."""
    user = get_driver(principal=principal, driver_id=driver_id)
    allowed = {k: v for k, v in changes.items() if k in ("name", "license_no", "status") and v is not None}
    if allowed.get("status") not in (None, "active", "disabled"):
        raise field_error("status", "active or disabled")
    return auth_service.update_user(user, updated_at=now_ms, **allowed)


def list_drivers(*, principal, carrier_id, limit, last_evaluated_key):
    require_org(principal, carrier_id)
    return auth_service.list_org_users(carrier_id, role="driver", limit=limit, last_evaluated_key=last_evaluated_key)


# -- reads and steps other domains use (only this domain names its tables) ------------------------


def list_orgs():
    """Every carrier and shipper company (an admin's list: about 1,300 at the field's size)."""
    return store.list_orgs()


def find_vehicle(vehicle_id):
    """A vehicle record or None (no tenancy check: the caller has its own)."""
    return store.get_vehicle(vehicle_id)


def find_vehicle_by_plate(plate):
    """The registered vehicle with this normalised plate, or None."""
    return store.get_vehicle_by_plate(plate)


def plate_owner(plate):
    """The registered vehicle id of a plate, or None."""
    return store.plate_owner(plate)


def plate_owners(plates):
    """{plate: vehicle_id} for those of `plates` that are registered, in one batched read."""
    return store.plate_owners(plates)


def find_vehicle_by_terminal(terminal_id):
    """The vehicle a Beidou terminal is fitted to, or None."""
    return store.get_vehicle_by_terminal(terminal_id)


def find_org(org_id):
    """An organisation record or None."""
    return store.get_org(org_id)


def org_names(org_ids):
    """{org_id: name} for the ids given, in one batched read."""
    return store.org_names(org_ids)


def org_read(org_id):
    """An organisation's read for a batch (backend.common.batch.get_many); its record has `name`."""
    return store.org_read(org_id)


def carrier_vehicles(carrier_id, *, limit=100):
    """One page of a carrier's fleet (a fleet is a few dozen trucks)."""
    items, _ = store.list_carrier_vehicles(carrier_id, limit=limit, last_evaluated_key=None)
    return items


def set_vehicle_status(vehicle_id, *, status, reason, now_ms):
    """Block or unblock a vehicle (plate alerts confirm or clear)."""
    return store.set_vehicle_status(vehicle_id, status=status, reason=reason, now_ms=now_ms)


# -- certificates: drivers' papers, the carrier's licences, and what blocks a dispatch ----------------


def credential_read(driver_id):
    """A driver's papers for a batch (backend.common.batch.get_many): no extra round trip for a dispatch."""
    return store.credential_read(driver_id)


def find_credential(driver_id):
    """A driver's papers or None (no tenancy check: the caller has its own)."""
    return store.get_credential(driver_id)


def get_credential(*, principal, driver_id):
    """A driver's papers: the driver, their carrier or the dispatch centre."""
    user = get_driver(principal=principal, driver_id=driver_id)
    credential = store.get_credential(driver_id)
    if credential is None:
        raise NotFound("credential_not_found", "no papers recorded for this driver")
    if credential.carrier_id != user.org_id:
        raise NotFound("credential_not_found", "no papers recorded for this driver")
    return credential


def save_credential(*, principal, driver_id, now_ms, **fields):
    """The carrier records (whole) a driver's ID number, licence and 从业资格证."""
    user = get_driver(principal=principal, driver_id=driver_id)
    fields = checked_numbers({name: fields[name] for name in CREDENTIAL_FIELDS})
    record = DriverCredential(driver_id, carrier_id=user.org_id, updated_at=now_ms, **fields)
    saved = store.save_credential(record)
    events.publish("papers_changed", kind="driver", subject_id=driver_id, now_ms=now_ms)
    return saved


def save_company_papers(*, principal, carrier_id, now_ms, credit_code, business_permit_no, business_permit_expires):
    """A carrier's business licence (USCC) and 道路运输经营许可证."""
    require_org(principal, carrier_id)
    org = get_org(carrier_id)
    fields = checked_numbers({"credit_code": credit_code, "business_permit_no": business_permit_no})
    org.credit_code, org.business_permit_no = fields["credit_code"], fields["business_permit_no"]
    org.business_permit_expires = business_permit_expires
    return store.save_org(org)


def get_company(*, principal, carrier_id):
    require_org(principal, carrier_id)
    return get_org(carrier_id)


def certificate_problems(vehicle, credential, *, now_ms):
    """What stops this truck with this driver (empty when fit or not heavy): [(certificate, kind, message)]."""
    return certificates.problems(vehicle, credential, today=shanghai_date(now_ms))


def require_certificates(vehicle, credential, *, now_ms):
    """409 naming the first missing or expired certificate of a heavy truck or its driver."""
    found = certificate_problems(vehicle, credential, now_ms=now_ms)
    if found:
        key, kind, message = found[0]
        raise Conflict(
            f"certificate_{kind}",
            f"{vehicle.plate}: {message}; a truck over 4.5 t is not dispatched without it",
            details={"certificate": key, "problems": [{"certificate": k, "kind": w} for k, w, _ in found]},
        )


def certificate_status(*, principal, carrier_id, now_ms):
    """The fleet's certificates that are missing, expired or expiring within 30 days (the fleet screen)."""
    require_org(principal, carrier_id)
    today = shanghai_date(now_ms)
    credentials = {c.user_id: c for c in store.carrier_credentials(carrier_id)}
    rows = []
    for vehicle in carrier_vehicles(carrier_id):
        for key, kind, message in certificates.problems(vehicle, _EVERY_DRIVER_FIT, today=today):
            rows.append(
                {
                    "vehicle_id": vehicle.vehicle_id,
                    "plate": vehicle.plate,
                    "certificate": key,
                    "status": kind,
                    "message": message,
                }
            )
        for key, expires, days in certificates.expiring(vehicle, None, today=today):
            rows.append(
                {
                    "vehicle_id": vehicle.vehicle_id,
                    "plate": vehicle.plate,
                    "certificate": key,
                    "status": "expiring",
                    "expires": expires,
                    "days_left": days,
                }
            )
    for credential in credentials.values():
        for key, expires, days in certificates.expiring(_NO_VEHICLE, credential, today=today):
            rows.append(
                {
                    "driver_id": credential.user_id,
                    "certificate": key,
                    "status": "expiring",
                    "expires": expires,
                    "days_left": days,
                }
            )
    return rows


class _Fit:
    """A stand-in driver or vehicle whose papers are all valid, to ask about the other party's alone."""

    licence_class = "A2"
    licence_valid_until = qualification_expires = transport_cert_expires = "9999-12-31"
    qualification_no = transport_cert_no = vin = "-"


_EVERY_DRIVER_FIT = _NO_VEHICLE = _Fit()


def expiring_papers(carrier_id, *, now_ms, days=certificates.WARN_DAYS):
    """[(record, certificate, expiry, days left)] of the carrier's papers expiring soon, not yet announced."""
    today = shanghai_date(now_ms)
    found = []
    for vehicle in carrier_vehicles(carrier_id):
        found += [(vehicle, *row) for row in certificates.expiring(vehicle, None, today=today, days=days)]
    for credential in store.carrier_credentials(carrier_id):
        found += [(credential, *row) for row in certificates.expiring(_NO_VEHICLE, credential, today=today, days=days)]
    return [row for row in found if row[0].cert_warned != row[2]]


def lapsed_papers(carrier_id, *, now_ms):
    """[(party id, role, certificate, expiry, subject)] of the carrier's recorded certificates past their expiry:
    a truck's count against its carrier, a driver's papers against the driver."""
    today = shanghai_date(now_ms)
    found = []
    for vehicle in carrier_vehicles(carrier_id):
        for key, expires in certificates.lapsed(vehicle, None, today=today):
            found.append((carrier_id, "carrier", key, expires, vehicle.vehicle_id))
    for credential in store.carrier_credentials(carrier_id):
        for key, expires in certificates.lapsed(_NO_VEHICLE, credential, today=today):
            found.append((credential.user_id, "driver", key, expires, credential.user_id))
    return found


def mark_warned(record, expires):
    """Remember that the reminder for this expiry was sent."""
    store.mark_warned(record, expires)

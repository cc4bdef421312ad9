"""A carrier's fleet: vehicles and drivers."""

from backend.accounts import schemas, service
from backend.auth.schemas import UserSchema
from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.errors import field_error
from backend.common.pagination import decode_cursor, page

blp = Blueprint("fleet", __name__, url_prefix="/api/fleet", description="Carriers' vehicles and drivers")
FLEET_READERS = ("carrier", "dispatcher", "admin")


def _carrier_id(requested=None):
    """Carriers act on their own company; the dispatch centre names one with ?carrier_id=."""
    principal = current_principal()
    if principal.role == "carrier":
        return principal.org_id
    if not requested:
        raise field_error("carrier_id", "required for dispatcher and admin")
    return requested


@blp.route("/vehicles", methods=["GET"])
@roles_required(*FLEET_READERS)
@blp.arguments(schemas.FleetListArgs, location="query")
@blp.response(200, schemas.VehiclePage)
def list_vehicles(args):
    """The fleet's vehicles."""
    items, lek = service.list_vehicles(
        principal=current_principal(),
        carrier_id=_carrier_id(args["carrier_id"]),
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/vehicles", methods=["POST"])
@roles_required("carrier")
@blp.arguments(schemas.VehicleArgs)
@blp.response(201, schemas.VehicleSchema)
def create_vehicle(args):
    """Register a vehicle (plate unique platform-wide)."""
    return service.create_vehicle(
        principal=current_principal(), carrier_id=_carrier_id(), now_ms=now_ms(), **_dates(args)
    )


@blp.route("/vehicles/<vehicle_id>", methods=["GET"])
@roles_required(*FLEET_READERS)
@blp.response(200, schemas.VehicleSchema)
def get_vehicle(vehicle_id):
    """One vehicle."""
    return service.get_vehicle(principal=current_principal(), vehicle_id=vehicle_id)


@blp.route("/vehicles/<vehicle_id>", methods=["PATCH"])
@roles_required("carrier")
@blp.arguments(schemas.VehiclePatchArgs(partial=True))  # PATCH: only the fields sent
@blp.response(200, schemas.VehicleSchema)
def update_vehicle(args, vehicle_id):
    """Edit a vehicle."""
    return service.update_vehicle(principal=current_principal(), vehicle_id=vehicle_id, now_ms=now_ms(), **_dates(args))


@blp.route("/carriers", methods=["GET"])
@roles_required("shipper", "dispatcher", "admin")
@blp.response(200, schemas.CarrierList)
def list_carriers():
    """Carrier companies a shipper can entrust loads to (names, not fleets)."""
    return {"items": [{"id": org.org_id, "name": org.name} for org in service.list_carriers()]}


@blp.route("/drivers", methods=["GET"])
@roles_required(*FLEET_READERS)
@blp.arguments(schemas.FleetListArgs, location="query")
@blp.response(200, schemas.DriverPage)
def list_drivers(args):
    """The fleet's drivers."""
    items, lek = service.list_drivers(
        principal=current_principal(),
        carrier_id=_carrier_id(args["carrier_id"]),
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/drivers", methods=["POST"])
@roles_required("carrier")
@blp.arguments(schemas.DriverArgs)
@blp.response(201, UserSchema)
def create_driver(args):
    """Add a driver account to the fleet."""
    return service.create_driver(principal=current_principal(), carrier_id=_carrier_id(), now_ms=now_ms(), **args)


@blp.route("/drivers/<driver_id>", methods=["GET"])
@roles_required("driver", *FLEET_READERS)
@blp.response(200, UserSchema)
def get_driver(driver_id):
    """A driver (drivers read only their own)."""
    return service.get_driver(principal=current_principal(), driver_id=driver_id)


@blp.route("/drivers/<driver_id>", methods=["PATCH"])
@roles_required("carrier")
@blp.arguments(schemas.DriverPatchArgs)
@blp.response(200, UserSchema)
def update_driver(args, driver_id):
    """Edit a driver."""
    return service.update_driver(principal=current_principal(), driver_id=driver_id, now_ms=now_ms(), **args)


def _dates(args):
    """Dates as the records keep them: YYYY-MM-DD text (valid through that day)."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in args.items()}


@blp.route("/drivers/<driver_id>/credentials", methods=["GET"])
@roles_required("driver", *FLEET_READERS)
@blp.response(200, schemas.CredentialSchema)
def get_credentials(driver_id):
    """A driver's ID number, licence and 从业资格证 (drivers read only their own)."""
    return service.get_credential(principal=current_principal(), driver_id=driver_id)


@blp.route("/drivers/<driver_id>/credentials", methods=["PUT"])
@roles_required("carrier")
@blp.arguments(schemas.CredentialArgs)
@blp.response(200, schemas.CredentialSchema)
def put_credentials(args, driver_id):
    """Record a driver's papers (check characters verified)."""
    return service.save_credential(principal=current_principal(), driver_id=driver_id, now_ms=now_ms(), **_dates(args))


@blp.route("/company", methods=["GET"])
@roles_required(*FLEET_READERS)
@blp.arguments(schemas.CompanyQuery, location="query")
@blp.response(200, schemas.CompanySchema)
def get_company(args):
    """The carrier's business licence and 道路运输经营许可证."""
    return service.get_company(principal=current_principal(), carrier_id=_carrier_id(args["carrier_id"]))


@blp.route("/company", methods=["PUT"])
@roles_required("carrier")
@blp.arguments(schemas.CompanyArgs)
@blp.response(200, schemas.CompanySchema)
def put_company(args):
    """Record the carrier's USCC and 道路运输经营许可证."""
    return service.save_company_papers(
        principal=current_principal(), carrier_id=_carrier_id(), now_ms=now_ms(), **_dates(args)
    )


@blp.route("/certificates", methods=["GET"])
@roles_required(*FLEET_READERS)
@blp.arguments(schemas.CompanyQuery, location="query")
@blp.response(200, schemas.CertificateStatus)
def certificate_status(args):
    """Certificates missing, expired or expiring within 30 days across the fleet."""
    items = service.certificate_status(
        principal=current_principal(), carrier_id=_carrier_id(args["carrier_id"]), now_ms=now_ms()
    )
    return {"items": items}

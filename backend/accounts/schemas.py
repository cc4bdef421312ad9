from marshmallow import Schema, fields, validate

from backend.accounts.certificates import ENERGY_TYPES, LICENCE_CLASSES
from backend.accounts.models import DriverCredential, Organisation, Vehicle
from backend.accounts.plates import COLOURS
from backend.auth.schemas import UserSchema
from backend.common.schemas import PageArgs, model_schema, page_schema


class VehicleArgs(Schema):
    plate = fields.String(required=True, validate=validate.Length(min=5, max=16))
    plate_color = fields.String(required=True, validate=validate.OneOf(COLOURS))
    axles = fields.Integer(required=True)
    tare_kg = fields.Integer(required=True)
    rated_load_kg = fields.Integer(required=True)
    terminal_id = fields.String(load_default=None, validate=validate.Length(max=32))
    vehicle_type = fields.String(load_default="tractor_trailer", validate=validate.Length(max=32))
    body_color = fields.String(load_default=None, validate=validate.Length(max=16))
    # Certificates (optional at registration; a heavy truck without them is not dispatched).
    vin = fields.String(load_default=None, validate=validate.Length(max=17))
    energy_type = fields.String(load_default=None, validate=validate.OneOf(tuple(ENERGY_TYPES)))
    gross_mass_kg = fields.Integer(load_default=None, validate=validate.Range(min=1000, max=100000))
    transport_cert_no = fields.String(load_default=None, validate=validate.Length(max=20))
    transport_cert_expires = fields.Date(load_default=None)


class VehiclePatchArgs(VehicleArgs):
    """The same fields as VehicleArgs; the route loads it with partial=True."""


# The record as it is, without its bookkeeping times.
VehicleSchema = model_schema(
    Vehicle, "Vehicle", rename={"vehicle_id": "id"}, exclude=("created_at", "updated_at", "cert_warned")
)


class FleetListArgs(PageArgs):
    carrier_id = fields.String(load_default=None)


class DriverArgs(Schema):
    phone = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    license_no = fields.String(load_default=None, validate=validate.Length(max=32))


class DriverPatchArgs(Schema):
    name = fields.String(validate=validate.Length(min=1, max=64))
    license_no = fields.String(validate=validate.Length(max=32))
    status = fields.String(validate=validate.OneOf(("active", "disabled")))


VehiclePage = page_schema(VehicleSchema, "VehiclePage")
DriverPage = page_schema(UserSchema, "DriverPage")


class CarrierSchema(Schema):
    id = fields.String()
    name = fields.String()


class CarrierList(Schema):
    items = fields.List(fields.Nested(CarrierSchema))


class CredentialArgs(Schema):
    """A driver's papers, recorded whole."""

    id_number = fields.String(required=True, validate=validate.Length(min=18, max=18))
    licence_class = fields.String(required=True, validate=validate.OneOf(LICENCE_CLASSES))
    licence_valid_until = fields.Date(required=True)
    qualification_no = fields.String(required=True, validate=validate.Length(min=12, max=19))
    qualification_expires = fields.Date(required=True)


CredentialSchema = model_schema(DriverCredential, "DriverCredential", exclude=("cert_warned",))


class CompanyArgs(Schema):
    credit_code = fields.String(required=True, validate=validate.Length(min=18, max=18))
    business_permit_no = fields.String(required=True, validate=validate.Length(min=12, max=12))
    business_permit_expires = fields.Date(required=True)


class CompanyQuery(Schema):
    carrier_id = fields.String(load_default=None)


CompanySchema = model_schema(Organisation, "Company", rename={"org_id": "id"})


class CertificateRow(Schema):
    vehicle_id = fields.String()
    plate = fields.String()
    driver_id = fields.String()
    certificate = fields.String()
    status = fields.String()  # missing | expired | wrong_class | expiring
    message = fields.String()
    expires = fields.String()
    days_left = fields.Integer()


class CertificateStatus(Schema):
    items = fields.List(fields.Nested(CertificateRow))

from marshmallow import Schema, fields, validate

from backend.accounts.models import Vehicle
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


class VehiclePatchArgs(VehicleArgs):
    """The same fields as VehicleArgs; the route loads it with partial=True."""


# The record as it is, without its bookkeeping times.
VehicleSchema = model_schema(Vehicle, "Vehicle", rename={"vehicle_id": "id"}, exclude=("created_at", "updated_at"))


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

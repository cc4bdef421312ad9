from marshmallow import Schema, fields, validate

from backend.common.schemas import model_schema
from backend.devices.models import Device
from backend.devices.service import DEVICE_KINDS


class DeviceArgs(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(DEVICE_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    mine_id = fields.String(load_default=None, metadata={"description": "the site (cameras, weighbridges, scanners)"})
    lane_id = fields.String(load_default=None, metadata={"description": "the site's gate lane the device stands on"})


class DeviceListArgs(Schema):
    mine_id = fields.String(load_default=None, metadata={"description": "one site's devices"})


# The record as it is, never the key salt (with the master key it derives the device's secret).
DeviceSchema = model_schema(Device, "Device", rename={"device_id": "id"}, exclude=("key_salt", "created_at"))


class DeviceCreatedSchema(DeviceSchema):
    """Registration's reply: the record and its key, shown only this once."""

    key = fields.String()


class DeviceListSchema(Schema):
    items = fields.List(fields.Nested(DeviceSchema))

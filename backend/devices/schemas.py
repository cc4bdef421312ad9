from marshmallow import Schema, fields, validate

from backend.devices.service import DEVICE_KINDS


class DeviceArgs(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(DEVICE_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    mine_id = fields.String(load_default=None)


class DeviceSchema(Schema):
    id = fields.String()
    kind = fields.String()
    name = fields.String()
    mine_id = fields.String(allow_none=True)
    status = fields.String()
    last_seen_at = fields.Integer(allow_none=True)


class DeviceCreatedSchema(DeviceSchema):
    key = fields.String()


class DeviceListSchema(Schema):
    items = fields.List(fields.Nested(DeviceSchema))

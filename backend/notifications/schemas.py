"""Request and reply shapes of the Web Push API."""

from marshmallow import Schema, fields


class SubscriptionArgs(Schema):
    endpoint = fields.String(required=True)
    keys = fields.Dict(required=True)
    expirationTime = fields.Raw(load_default=None)


class PushKeySchema(Schema):
    public_key = fields.String(allow_none=True)

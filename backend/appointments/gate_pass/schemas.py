"""Request and reply shapes of the gate pass API."""

from marshmallow import Schema, fields, validate


class PassSchema(Schema):
    booking_id = fields.String()
    token = fields.String()
    claims = fields.Dict()
    qr_svg = fields.String(allow_none=True)


class VerifyArgs(Schema):
    token = fields.String(required=True, validate=validate.Length(max=2000))


class VerifySchema(Schema):
    claims = fields.Dict()
    waybill_state = fields.String()
    may_enter = fields.Boolean()

"""Request and reply shapes of the check-in API."""

from marshmallow import Schema, fields, validate


class FixArgs(Schema):
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    accuracy_m = fields.Float(required=True, validate=validate.Range(min=0))
    at_ms = fields.Integer(load_default=None)


class FixResultSchema(Schema):
    result = fields.String()
    booking_id = fields.String()
    stage = fields.String()

"""Request and reply shapes of the queue API."""

from marshmallow import Schema, fields, validate

from backend.appointments.booking.schemas import BookingSchema


class MyBookingsSchema(Schema):
    items = fields.List(fields.Nested(BookingSchema))
    notices = fields.List(fields.Nested(BookingSchema))


class BoardSchema(Schema):
    mine_id = fields.String()
    rate_per_hour = fields.Integer()
    lead_minutes = fields.Integer()
    waiting = fields.List(fields.Nested(BookingSchema))
    called = fields.List(fields.Nested(BookingSchema))
    expected = fields.List(fields.Nested(BookingSchema))


class CallArgs(Schema):
    count = fields.Integer(load_default=1, validate=validate.Range(min=1, max=20))


class AdmitArgs(Schema):
    waybill_id = fields.String(required=True)
    override_reason = fields.String(load_default=None, validate=validate.Length(max=200))


class AdmitSchema(Schema):
    waybill_id = fields.String()
    state = fields.String()

"""Request and reply shapes of the queue API."""

from marshmallow import Schema, fields, validate

from backend.appointments.booking.schemas import BookingSchema


class MyBookingsSchema(Schema):
    items = fields.List(fields.Nested(BookingSchema))
    notices = fields.List(fields.Nested(BookingSchema))


class CallRuleSchema(Schema):
    ahead = fields.Integer()
    count = fields.Integer()
    drive_ms = fields.Integer()
    cycle_ms = fields.Integer()


class BoardSchema(Schema):
    mine_id = fields.String()
    rate_per_hour = fields.Integer()
    lead_minutes = fields.Integer()
    call_rule = fields.Nested(CallRuleSchema)
    in_lot = fields.Integer()
    lot_max = fields.Integer()
    waiting = fields.List(fields.Nested(BookingSchema))
    called = fields.List(fields.Nested(BookingSchema))
    expected = fields.List(fields.Nested(BookingSchema))


class CallArgs(Schema):
    # None: as many as the call rule says (measured drive from the lot ÷ measured lane cycle).
    count = fields.Integer(load_default=None, validate=validate.Range(min=1, max=20))
    booking_id = fields.String(load_default=None)  # call this truck now (a skip when others wait ahead of it)
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class AdmitArgs(Schema):
    waybill_id = fields.String(required=True)
    override_reason = fields.String(load_default=None, validate=validate.Length(max=200))


class AdmitSchema(Schema):
    waybill_id = fields.String()
    state = fields.String()

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
    held = fields.List(
        fields.Nested(BookingSchema),
        metadata={"description": "trucks whose waybill an alert holds (not waiting, not on call, not expired)"},
    )


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


def _bounded(kind, low, high):
    return kind(load_default=None, validate=validate.Range(min=low, max=high))


class SimulateArgs(Schema):
    """The site's own parameters (each left out takes the mine's measured or configured figure); bounded so one
    run stays a second or two."""

    seeds = fields.Integer(load_default=10, validate=validate.Range(min=1, max=20))
    lanes = _bounded(fields.Integer, 1, 12)
    cycle = _bounded(fields.Float, 2, 60)
    window = _bounded(fields.Integer, 10, 120)
    booked = _bounded(fields.Float, 0.3, 1.0)
    no_show = _bounded(fields.Float, 0, 0.3)
    on_time = _bounded(fields.Float, 0, 1)
    late_sd = _bounded(fields.Float, 0, 90)
    backlog = _bounded(fields.Float, 0, 0.5)
    drive = _bounded(fields.Float, 1, 60)
    buffer = _bounded(fields.Float, 0, 30)
    foreseen = _bounded(fields.Float, 0, 1)
    lot_bound = _bounded(fields.Integer, 1, 200)


class SimulationSchema(Schema):
    seeds = fields.Integer()
    assumptions = fields.Dict()
    walk_up = fields.Dict()
    platform = fields.Dict()
    ratios = fields.Dict()
    goals_met = fields.Dict()
    text = fields.List(fields.String())

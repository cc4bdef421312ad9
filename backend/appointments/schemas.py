"""Request and reply shapes of the appointments API."""
from marshmallow import Schema, fields, validate

from backend.common.schemas import PageArgs


class AppointmentSlotSchema(Schema):
    id = fields.String()
    mine_id = fields.String()
    date = fields.String()
    start_ms = fields.Integer()
    end_ms = fields.Integer()
    capacity = fields.Integer()
    booked = fields.Integer()
    free = fields.Integer()
    status = fields.String()
    close_reason = fields.String(allow_none=True)
    arrives_early = fields.Boolean()


class SlotListSchema(Schema):
    items = fields.List(fields.Nested(AppointmentSlotSchema))


class SlotListArgs(Schema):
    date = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}-\d{2}-\d{2}$"))


class SuggestArgs(Schema):
    waybill_id = fields.String(required=True)
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))


class SuggestSchema(Schema):
    distance_m = fields.Integer()
    eta_ms = fields.Integer()
    items = fields.List(fields.Nested(AppointmentSlotSchema))


class BookArgs(Schema):
    waybill_id = fields.String(required=True)
    slot_id = fields.String(required=True)


class MoveArgs(Schema):
    slot_id = fields.String(required=True)


class BookingCancelArgs(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class RequiredReasonArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CapacityArgs(Schema):
    capacity = fields.Integer(required=True, validate=validate.Range(min=0, max=1000))
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class QueuePlace(Schema):
    position = fields.Integer(allow_none=True)
    waiting = fields.Integer()
    predicted_call_ms = fields.Integer(allow_none=True)


class BookingSchema(Schema):
    id = fields.String()
    waybill_id = fields.String()
    driver_id = fields.String()
    vehicle_id = fields.String()
    plate = fields.String(allow_none=True)
    mine_id = fields.String()
    slot_id = fields.String()
    slot_start_ms = fields.Integer()
    slot_end_ms = fields.Integer()
    status = fields.String()
    stage = fields.String()
    checked_in_at = fields.Integer(allow_none=True)
    checkin_method = fields.String(allow_none=True)
    manual_reason = fields.String(allow_none=True)
    manual_requested_at = fields.Integer(allow_none=True)
    queue_at = fields.Integer(allow_none=True)
    called_at = fields.Integer(allow_none=True)
    call_deadline_ms = fields.Integer(allow_none=True)
    requeues = fields.Integer()
    end_reason = fields.String(allow_none=True)
    created_at = fields.Integer()
    updated_at = fields.Integer()
    queue = fields.Nested(QueuePlace, allow_none=True)
    position = fields.Integer()
    predicted_call_ms = fields.Integer(allow_none=True)


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


class BookingListSchema(Schema):
    items = fields.List(fields.Nested(BookingSchema))


class CallArgs(Schema):
    count = fields.Integer(load_default=1, validate=validate.Range(min=1, max=20))


class FixArgs(Schema):
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    accuracy_m = fields.Float(required=True, validate=validate.Range(min=0))
    at_ms = fields.Integer(load_default=None)


class FixResultSchema(Schema):
    result = fields.String()
    booking_id = fields.String()
    stage = fields.String()


class AdmitArgs(Schema):
    waybill_id = fields.String(required=True)
    override_reason = fields.String(load_default=None, validate=validate.Length(max=200))


class AdmitSchema(Schema):
    waybill_id = fields.String()
    state = fields.String()


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


class QueueEventSchema(Schema):
    at = fields.Integer()
    action = fields.String()
    booking_id = fields.String(allow_none=True)
    waybill_id = fields.String(allow_none=True)
    slot_id = fields.String(allow_none=True)
    actor_id = fields.String()
    actor_role = fields.String()
    reason = fields.String(allow_none=True)
    detail = fields.Dict(allow_none=True)


class QueueEventPage(Schema):
    items = fields.List(fields.Nested(QueueEventSchema))
    next_cursor = fields.String(allow_none=True)


class CloseSchema(Schema):
    slot = fields.Nested(AppointmentSlotSchema)
    released = fields.Integer()


class SubscriptionArgs(Schema):
    endpoint = fields.String(required=True)
    keys = fields.Dict(required=True)
    expirationTime = fields.Raw(load_default=None)


class PushKeySchema(Schema):
    public_key = fields.String(allow_none=True)


EventArgs = PageArgs

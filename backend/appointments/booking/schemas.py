"""Request and reply shapes of the booking API; BookingSchema is every appointments reply's booking."""

from marshmallow import Schema, fields, validate

from backend.appointments.booking.models import Booking
from backend.appointments.windows.schemas import AppointmentSlotSchema
from backend.common.schemas import model_schema


class BookArgs(Schema):
    waybill_id = fields.String(required=True)
    slot_id = fields.String(required=True)
    # When the truck can be at the mine (ETA or by hand): with it, the booking stands by for earlier windows.
    standby_from_ms = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))


class MoveArgs(Schema):
    slot_id = fields.String(required=True)


class BookingCancelArgs(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class RequiredReasonArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class QueuePlace(Schema):
    position = fields.Integer(allow_none=True)
    waiting = fields.Integer()
    predicted_call_ms = fields.Integer(allow_none=True)


# The record as it is (index keys and the queue sequence stay internal). The queue adds, through
# common.schemas.Joined, `queue` (a driver's place: the `place` value) or `position` and
# `predicted_call_ms` (a board row); a plain record has none of them, so its reply has no such keys.
BookingSchema = model_schema(
    Booking,
    "Booking",
    rename={"booking_id": "id"},
    exclude=("queue_mine_id", "active_vehicle_id", "queue_seq"),
    extra={
        "queue": fields.Nested(QueuePlace, allow_none=True, attribute="place"),
        "position": fields.Integer(),
        "predicted_call_ms": fields.Integer(allow_none=True),
        "arrive_by_ms": fields.Integer(allow_none=True),  # a booked truck: when to reach the lot
    },
)


class BookingListSchema(Schema):
    items = fields.List(fields.Nested(BookingSchema))


class CloseSchema(Schema):
    slot = fields.Nested(AppointmentSlotSchema)
    released = fields.Integer()

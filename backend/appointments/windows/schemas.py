"""Request and reply shapes of the windows API."""

from marshmallow import Schema, fields, validate

from backend.appointments.windows.models import Slot
from backend.appointments.windows.planning import slot_id
from backend.common.schemas import model_schema

# The window as it is; the queue counters and timestamps stay internal, the id and free seats are computed.
AppointmentSlotSchema = model_schema(
    Slot,
    "AppointmentSlot",
    exclude=("created_at", "updated_at", "q_joined", "q_called", "q_left", "q_done"),
    extra={
        "id": fields.Function(lambda s: slot_id(s.mine_id, s.start_ms), metadata={"type": "string"}),
        "free": fields.Function(lambda s: max(s.capacity - s.booked, 0), metadata={"type": "integer"}),
        "arrives_early": fields.Boolean(),
    },
)  # only on suggestions


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


class CapacityArgs(Schema):
    capacity = fields.Integer(required=True, validate=validate.Range(min=0, max=1000))
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class OfferArgs(Schema):
    waybill_id = fields.String(required=True)
    ready_at_ms = fields.Integer(load_default=None, validate=validate.Range(min=0))
    lon = fields.Float(load_default=None, validate=validate.Range(min=-180, max=180))
    lat = fields.Float(load_default=None, validate=validate.Range(min=-90, max=90))


class OfferSchema(Schema):
    ready_at_ms = fields.Integer()
    window = fields.Nested(AppointmentSlotSchema, allow_none=True)
    standby = fields.List(fields.Nested(AppointmentSlotSchema))

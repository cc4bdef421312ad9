"""Reply shapes of the queue log, its published head and a driver's audit."""

from marshmallow import Schema, fields, validate

from backend.appointments.log.models import QueueEvent
from backend.common.schemas import PageArgs, model_schema, page_schema

# The entry as chained; the mine (in the URL) and the chain id stay internal.
QueueEventSchema = model_schema(
    QueueEvent, "QueueEvent", exclude=("mine_id", "chain_id"), extra={"detail": fields.Dict(allow_none=True)}
)
QueueEventPage = page_schema(QueueEventSchema, "QueueEventPage")

DATE = validate.Regexp(r"^\d{4}-\d{2}-\d{2}$")


class EventArgs(PageArgs):
    date = fields.String(load_default=None, validate=DATE)


class DayArgs(Schema):
    date = fields.String(load_default=None, validate=DATE)


class ChainHeadSchema(Schema):
    chain_id = fields.String()
    seq = fields.Integer()
    hash = fields.String()


class PublicEntry(Schema):
    seq = fields.Integer()
    at = fields.Integer()
    action = fields.String()
    actor_role = fields.String()
    reason = fields.String(allow_none=True)
    hash = fields.String()
    prev_hash = fields.String()
    slot_id = fields.String(allow_none=True)


class AuditSchema(Schema):
    chain_id = fields.String()
    day = fields.String(metadata={"description": "the window's day (Asia/Shanghai): whose chain head this is"})
    head_seq = fields.Integer()
    head_hash = fields.String()
    intact = fields.Boolean()
    problems = fields.List(fields.Dict())
    mine = fields.List(fields.Nested(PublicEntry))
    placed_ahead = fields.List(fields.Nested(PublicEntry))
    unexplained = fields.Integer()

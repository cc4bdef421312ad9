"""Reply shapes of the queue log."""

from marshmallow import fields

from backend.appointments.log.models import QueueEvent
from backend.common.schemas import PageArgs, model_schema, page_schema

# The event as recorded; the mine (in the URL) and the sort key stay internal.
QueueEventSchema = model_schema(
    QueueEvent, "QueueEvent", exclude=("mine_id", "event_key"), extra={"detail": fields.Dict(allow_none=True)}
)
QueueEventPage = page_schema(QueueEventSchema, "QueueEventPage")
EventArgs = PageArgs

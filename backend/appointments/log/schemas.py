"""Reply shapes of the queue log."""
from backend.appointments.log.models import QueueEvent
from backend.common.schemas import PageArgs, model_schema, page_schema

# The event as recorded; the mine (in the URL) and the sort key stay internal.
QueueEventSchema = model_schema(QueueEvent, "QueueEvent", exclude=("mine_id", "event_key"))
QueueEventPage = page_schema(QueueEventSchema, "QueueEventPage")
EventArgs = PageArgs

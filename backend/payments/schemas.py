"""Payment requests and replies."""

from marshmallow import Schema, fields

from backend.common.schemas import model_schema
from backend.payments.models import Payment

PaymentSchema = model_schema(Payment, "Payment", exclude=("open_mine_id",))


class NotifyReply(Schema):
    code = fields.String(metadata={"description": "SUCCESS: the provider stops sending this notification"})
    message = fields.String()

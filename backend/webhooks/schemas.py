"""Request and reply shapes of the webhook admin API (secrets appear only when created or rotated)."""

from marshmallow import Schema, fields, validate

from backend.common.schemas import model_schema, page_schema
from backend.webhooks.models import Subscription, WebhookDelivery
from backend.webhooks.service import EVENT_TYPES


class SubscribeArgs(Schema):
    url = fields.String(required=True, validate=validate.Length(min=8, max=500))
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True, validate=validate.Length(min=1, max=6)
    )


SubscriptionSchema = model_schema(
    Subscription,
    "Webhook",
    rename={"sub_id": "id"},
    exclude=("owner_id", "secret", "old_secret", "created_by"),
)
# Created or rotated: the one reply that carries the secret.
SecretSchema = model_schema(
    Subscription, "WebhookWithSecret", rename={"sub_id": "id"}, exclude=("owner_id", "old_secret", "created_by")
)
SubscriptionList = Schema.from_dict({"items": fields.List(fields.Nested(SubscriptionSchema))}, name="WebhookList")
DeliverySchema = model_schema(
    WebhookDelivery, "WebhookDelivery", rename={"delivery_id": "id"}, exclude=("owner_ids", "owner_id", "due")
)
DeliveryPage = page_schema(DeliverySchema, "WebhookDeliveryPage")

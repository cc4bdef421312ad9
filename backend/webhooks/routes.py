"""Webhook admin for shippers' and buyers' systems: subscribe, rotate the secret, read the log, resend."""

from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.pagination import decode_cursor, page
from backend.common.schemas import OkSchema, PageArgs
from backend.webhooks import schemas, service

blp = Blueprint("webhooks", __name__, url_prefix="/api/webhooks", description="Signed waybill events to your system")
OWNERS = ("shipper", "buyer")


@blp.route("", methods=["GET"])
@roles_required(*OWNERS)
@blp.response(200, schemas.SubscriptionList)
def list_webhooks():
    """Your organisation's webhooks (without their secrets)."""
    return {"items": service.list_subscriptions(principal=current_principal())}


@blp.route("", methods=["POST"])
@roles_required(*OWNERS)
@blp.arguments(schemas.SubscribeArgs)
@blp.response(201, schemas.SecretSchema)
def subscribe(args):
    """Subscribe a URL to waybill events; the reply holds the signing secret (shown this once)."""
    return service.subscribe(principal=current_principal(), now_ms=now_ms(), **args)


@blp.route("/<sub_id>", methods=["DELETE"])
@roles_required(*OWNERS)
@blp.response(200, OkSchema)
def unsubscribe(sub_id):
    """Stop sending to this URL."""
    return service.unsubscribe(principal=current_principal(), sub_id=sub_id)


@blp.route("/<sub_id>/rotate", methods=["POST"])
@roles_required(*OWNERS)
@blp.response(200, schemas.SecretSchema)
def rotate(sub_id):
    """A new secret; deliveries carry signatures by both secrets until WEBHOOK_ROTATION_HOURS pass."""
    return service.rotate(principal=current_principal(), sub_id=sub_id, now_ms=now_ms())


@blp.route("/<sub_id>/deliveries", methods=["GET"])
@roles_required(*OWNERS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, schemas.DeliveryPage)
def deliveries(args, sub_id):
    """The delivery log, newest first: status, tries, the receiver's last answer."""
    items, lek = service.deliveries(
        principal=current_principal(),
        sub_id=sub_id,
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/<sub_id>/deliveries/<delivery_id>/resend", methods=["POST"])
@roles_required(*OWNERS)
@blp.response(200, schemas.DeliverySchema)
def resend(sub_id, delivery_id):
    """Send one logged delivery again now (same event id, fresh signature)."""
    return service.resend(principal=current_principal(), sub_id=sub_id, delivery_id=delivery_id, now_ms=now_ms())

"""Web Push API. Its URLs stay under /api/appointments/push, where installed apps already subscribe."""

from flask_smorest import Blueprint

from backend.common.access import current_principal, signed_in
from backend.common.clock import now_ms
from backend.notifications import schemas, service

blp = Blueprint(
    "push",
    __name__,
    url_prefix="/api/appointments/push",
    description="Web Push: a call reaches a driver whose app is closed",
)


@blp.route("/key", methods=["GET"])
@signed_in
@blp.response(200, schemas.PushKeySchema)
def push_key():
    """The VAPID public key to subscribe with (null when Web Push is not configured)."""
    return {"public_key": service.vapid_public_key()}


@blp.route("/subscriptions", methods=["POST"])
@signed_in
@blp.arguments(schemas.SubscriptionArgs)
@blp.response(201, schemas.PushKeySchema)
def subscribe(args):
    """Keep this browser's push subscription so a call reaches a closed app."""
    service.subscribe(user_id=current_principal().user_id, subscription=args, now_ms=now_ms())
    return {"public_key": service.vapid_public_key()}

"""Web Push API (its URLs stay under /api/appointments/push, where installed apps already subscribe) and the inbox."""

from backend.common.access import current_principal, signed_in
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.pagination import decode_cursor, page
from backend.common.schemas import PageArgs
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


inbox_blp = Blueprint("inbox", __name__, url_prefix="/api/inbox", description="Everyone's in-app inbox")


@inbox_blp.route("", methods=["GET"])
@signed_in
@inbox_blp.arguments(PageArgs, location="query")
@inbox_blp.response(200, schemas.MessagePage)
def inbox(args):
    """The caller's messages, newest first (one Query of their inbox)."""
    items, lek = service.inbox(
        principal=current_principal(), limit=args["limit"], last_evaluated_key=decode_cursor(args["cursor"])
    )
    return page(items, lek)


@inbox_blp.route("/unread", methods=["GET"])
@signed_in
@inbox_blp.response(200, schemas.UnreadSchema)
def unread():
    """How many messages are unread: one counter item, whatever the inbox holds."""
    return service.unread(principal=current_principal())


@inbox_blp.route("/<message_id>/read", methods=["POST"])
@signed_in
@inbox_blp.response(200, schemas.UnreadSchema)
def mark_read(message_id):
    """Mark a message read (every device of the caller sees it read); the unread count after."""
    return service.mark_read(principal=current_principal(), message_id=message_id, now_ms=now_ms())


@inbox_blp.route("/preferences", methods=["GET"])
@signed_in
@inbox_blp.response(200, schemas.PreferencesSchema)
def preferences():
    """The caller's opt-outs and quiet hours (critical kinds are listed: they cannot be turned off)."""
    return service.preferences(principal=current_principal())


@inbox_blp.route("/preferences", methods=["PUT"])
@signed_in
@inbox_blp.arguments(schemas.PreferencesArgs)
@inbox_blp.response(200, schemas.PreferencesSchema)
def save_preferences(args):
    """Turn off non-critical kinds, set quiet hours (SMS waits then, except a call to the gate), SMS language."""
    return service.save_preferences(principal=current_principal(), now_ms=now_ms(), **args)

"""Sign-up, sign-in, refresh, logout, me."""

from flask import current_app, request
from flask_jwt_extended import get_jwt, get_jwt_identity, jwt_required
from flask_smorest import Blueprint

from backend.auth import service, store
from backend.auth.schemas import LoginArgs, LogoutArgs, RegisterArgs, TokensSchema, UserSchema
from backend.common.access import current_principal, public, signed_in
from backend.common.clock import now_ms
from backend.common.errors import NotFound
from backend.common.idempotency import exempt
from backend.common.schemas import OkSchema

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts and tokens")


@blp.route("/register", methods=["POST"])
@public
@blp.arguments(RegisterArgs)
@blp.response(201, UserSchema)
def register(args):
    """Self-service sign-up for buyers."""
    return service.register(now_ms=now_ms(), **args)


@blp.route("/login", methods=["POST"])
@public
@exempt  # the reply holds fresh tokens, which must never be stored
@blp.arguments(LoginArgs)
@blp.response(200, TokensSchema)
def login(args):
    """Sign in with a mobile number and password."""
    cfg = current_app.config
    limits = {
        "per_phone": cfg["LOGIN_LIMIT_PER_PHONE"],
        "per_address": cfg["LOGIN_LIMIT_PER_ADDRESS"],
        "window_seconds": cfg["LOGIN_WINDOW_SECONDS"],
    }
    user = service.authenticate(
        phone=args["phone"],
        password=args["password"],
        address=request.remote_addr or "-",
        now_ms=now_ms(),
        limits=limits,
    )
    return service.issue_tokens(user)


@blp.route("/refresh", methods=["POST"])
@exempt
@jwt_required(refresh=True)
@blp.response(200, TokensSchema)
def refresh():
    """A new access token from a refresh token."""
    return service.refresh(user_id=get_jwt_identity())


refresh.access = {"refresh": True}


@blp.route("/logout", methods=["POST"])
@signed_in
@exempt
@blp.arguments(LogoutArgs)
@blp.response(200, OkSchema)
def logout(args):
    """Revoke this access token (and the refresh token, when sent)."""
    service.logout(access_claims=get_jwt(), refresh_token=args.get("refresh_token"))
    return {"ok": True}


@blp.route("/me", methods=["GET"])
@signed_in
@blp.response(200, UserSchema)
def me():
    """The signed-in user."""
    user = store.get_user(current_principal().user_id)
    if user is None:
        raise NotFound("user_not_found", "user not found")
    return user

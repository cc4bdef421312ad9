"""Sign-up and password reset by SMS code, sign-in, refresh (cookie, rotated), logout, me."""

import time

from flask import request

from backend.auth import cookies, joining, service, session_check, store
from backend.auth.schemas import (
    InviteSchema,
    JoinDecisionArgs,
    JoinRequestsSchema,
    LoginArgs,
    OtpArgs,
    RegisterArgs,
    ResetArgs,
    TokensSchema,
    UserSchema,
)
from backend.common.access import current_principal, public, roles_required, signed_in
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.errors import ApiError, NotFound
from backend.common.idempotency import exempt
from backend.common.schemas import OkSchema
from backend.config import setting
from backend.notifications import sms

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts and tokens")
blp.before_app_request(session_check.watch_writes)


def _address():
    return request.remote_addr or "-"


def _signed_in(reply, refresh_token):
    cookies.put(refresh_token, max_age_s=setting("JWT_REFRESH_DAYS") * 86400)
    return reply


@blp.route("/otp", methods=["POST"])
@public
@blp.arguments(OtpArgs)
@blp.response(202, OkSchema)
def request_otp(args):
    """Text a one-time code (register a new number, reset an existing one); the same reply for any number."""
    started = time.monotonic()
    service.request_code(address=_address(), now_ms=now_ms(), sms=sms.send, **args)
    # Only an owner's number gets a code (a write and an SMS): without a floor the reply's time would tell a
    # prober which numbers have accounts. Every accepted request answers no sooner than OTP_REPLY_FLOOR_MS.
    time.sleep(max(0.0, setting("OTP_REPLY_FLOOR_MS") / 1000 - (time.monotonic() - started)))
    return {"ok": True}


@blp.route("/register", methods=["POST"])
@public
@blp.arguments(RegisterArgs)
@blp.response(201, UserSchema)
def register(args):
    """Sign up with the code texted to the number: buyers and owner-drivers; drivers and staff joining a carrier
    (its invite_code) wait for its approval."""
    return service.register(now_ms=now_ms(), **args)


@blp.route("/password-reset", methods=["POST"])
@public
@blp.arguments(ResetArgs)
@blp.response(200, OkSchema)
def password_reset(args):
    """A new password with the code texted to the number; signs the account out everywhere."""
    service.reset_password(now_ms=now_ms(), **args)
    return {"ok": True}


@blp.route("/login", methods=["POST"])
@public
@exempt  # the reply holds a fresh token, which must never be stored
@blp.arguments(LoginArgs)
@blp.response(200, TokensSchema)
def login(args):
    """Sign in with a mobile number and password: an access token, and the refresh token as a cookie."""
    limits = {
        "free_failures": setting("LOGIN_FREE_FAILURES"),
        "max_delay_seconds": setting("LOGIN_MAX_DELAY_SECONDS"),
        "per_address": setting("LOGIN_LIMIT_PER_ADDRESS"),
        "window_seconds": setting("LOGIN_WINDOW_SECONDS"),
    }
    user = service.authenticate(address=_address(), now_ms=now_ms(), limits=limits, **args)
    return _signed_in(*service.issue_tokens(user, now_ms=now_ms()))


@blp.route("/refresh", methods=["POST"])
@public  # authenticated by the refresh cookie, CSRF-checked
@exempt
@blp.response(200, TokensSchema)
def refresh():
    """A new access token from the refresh cookie, which is rotated (a replayed old one ends the session)."""
    cookies.check_same_origin()
    try:
        return _signed_in(*service.refresh(refresh_token=cookies.read(), now_ms=now_ms()))
    except ApiError as error:
        if error.status == 401:  # a dead session: forget it; a store outage (503) keeps it for a retry
            cookies.drop()
        raise


@blp.route("/logout", methods=["POST"])
@public  # authenticated by the refresh cookie, CSRF-checked
@exempt
@blp.response(200, OkSchema)
def logout():
    """End this device's session: its refresh tokens stop working; the access token expires within minutes."""
    cookies.check_same_origin()
    service.logout(refresh_token=cookies.read())
    cookies.drop()
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


@blp.route("/invite-code", methods=["GET"])
@roles_required("carrier")
@blp.response(200, InviteSchema)
def invite_code():
    """The code your drivers and staff sign up with to join your company."""
    return {"code": joining.code_for(principal=current_principal())}


@blp.route("/join-requests", methods=["GET"])
@roles_required("carrier")
@blp.response(200, JoinRequestsSchema)
def join_requests():
    """People who signed up with your invite code and wait for your approval."""
    return {"items": joining.pending(principal=current_principal())}


@blp.route("/join-requests/<user_id>", methods=["POST"])
@roles_required("carrier")
@blp.arguments(JoinDecisionArgs)
@blp.response(200, UserSchema)
def decide_join_request(args, user_id):
    """Approve (they may sign in at once) or refuse someone who asked to join your company."""
    return joining.decide(principal=current_principal(), user_id=user_id, now_ms=now_ms(), **args)

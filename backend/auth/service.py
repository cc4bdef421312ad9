"""Registration, sign-in with rate limits, tokens and logout."""

from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from werkzeug.security import check_password_hash, generate_password_hash

from backend.auth import store
from backend.auth.models import User
from backend.auth.phones import normalise_phone
from backend.auth.schemas import UserSchema
from backend.common import store as common_store
from backend.common.errors import ApiError, field_error
from backend.common.ids import new_id
from backend.common.transactions import TxOp

SELF_SERVICE_ROLES = ("buyer",)
MIN_PASSWORD = 8


def hash_password(password):
    """A salted scrypt hash (werkzeug's default KDF)."""
    return generate_password_hash(password)


def validate_new_account(*, phone, password, name):
    """Normalised phone, or a 400 naming the bad field."""
    normalised = normalise_phone(phone)
    if not normalised:
        raise field_error("phone", "not a mainland mobile number (11 digits starting with 1)")
    if len(password or "") < MIN_PASSWORD:
        raise field_error("password", f"at least {MIN_PASSWORD} characters")
    if not (name or "").strip():
        raise field_error("name", "required")
    return normalised


def create_user(*, phone, password, name, role, now_ms, org_id=None, mine_id=None, license_no=None):
    """Create an account; 409 if the phone number is taken."""
    normalised = validate_new_account(phone=phone, password=password, name=name)
    user = User(
        new_id("u"),
        phone=normalised,
        name=name.strip(),
        role=role,
        org_id=org_id,
        mine_id=mine_id,
        license_no=license_no,
        password_hash=hash_password(password),
        created_at=now_ms,
        updated_at=now_ms,
    )
    try:
        return store.create_user(user)
    except store.PhoneTaken:
        raise ApiError(
            "phone_taken",
            "this phone number already has an account",
            status=409,
            details={"fields": {"phone": ["already registered"]}},
        ) from None


def register(*, phone, password, name, role, now_ms):
    """Self-service sign-up (buyers); companies and their staff are created by admins and carriers."""
    if role not in SELF_SERVICE_ROLES:
        raise field_error("role", f"self-registration is open to: {', '.join(SELF_SERVICE_ROLES)}")
    return create_user(phone=phone, password=password, name=name, role=role, now_ms=now_ms)


def _check_rate(*, key, limit, window_s, now_ms):
    window_start = now_ms // 1000 // window_s * window_s
    if not common_store.hit_counter(key=f"{key}#{window_start}", limit=limit, now_ms=now_ms, window_seconds=window_s):
        retry_after = window_start + window_s - now_ms // 1000
        raise ApiError(
            "rate_limited",
            "too many sign-in attempts; try again later",
            status=429,
            headers={"Retry-After": str(max(retry_after, 1))},
        )


def authenticate(*, phone, password, address, now_ms, limits):
    """The user for valid credentials; counts attempts per number and per address across containers."""
    normalised = normalise_phone(phone) or str(phone)[:32]
    window = limits["window_seconds"]
    _check_rate(key=f"login#addr#{address}", limit=limits["per_address"], window_s=window, now_ms=now_ms)
    _check_rate(key=f"login#phone#{normalised}", limit=limits["per_phone"], window_s=window, now_ms=now_ms)
    user = store.get_user_by_phone(normalised)
    if user is None or not check_password_hash(user.password_hash, password or ""):
        raise ApiError("invalid_credentials", "wrong phone number or password", status=401)
    if user.status != "active":
        raise ApiError("account_disabled", "this account is disabled", status=403)
    return user


def token_claims(user):
    """What the PWA and the access checks need without a database read."""
    return {"role": user.role, "org_id": user.org_id, "mine_id": user.mine_id, "name": user.name}


def issue_tokens(user):
    """An access and a refresh token for a user."""
    claims = token_claims(user)
    return {
        "access_token": create_access_token(identity=user.user_id, additional_claims=claims),
        "refresh_token": create_refresh_token(identity=user.user_id, additional_claims=claims),
        "user": user,
    }


def refresh(*, user_id):
    """A new access token, re-reading the user so a disabled account cannot refresh."""
    user = store.get_user(user_id)
    if user is None or user.status != "active":
        raise ApiError("account_disabled", "this account can no longer sign in", status=401)
    return {
        "access_token": create_access_token(identity=user.user_id, additional_claims=token_claims(user)),
        "user": user,
    }


def logout(*, access_claims, refresh_token=None):
    """Revoke the access token and, when given, its refresh token."""
    store.revoke(access_claims["jti"], access_claims["exp"])
    if refresh_token:
        try:
            claims = decode_token(refresh_token)
        except Exception:
            raise field_error("refresh_token", "not a valid token") from None
        if claims.get("sub") != access_claims["sub"]:
            raise field_error("refresh_token", "belongs to another user")
        store.revoke(claims["jti"], claims["exp"])


def is_revoked(jti):
    return store.is_revoked(jti)


def get_user(user_id):
    """A user record or None."""
    return store.get_user(user_id)


def user_read(user_id):
    """A user's read for a batch (backend.common.batch.get_many)."""
    return store.user_read(user_id)


def no_show_step(user_id):
    """A transaction step marking a driver's no-show (an expired booking); 409 if the driver is gone."""
    return TxOp(
        apply=store.no_show_op(user_id),
        error=ApiError("driver_not_found", "the booking's driver no longer exists", status=409),
    )


def public_user(user):
    """A user as JSON for a reply built outside a route (UserSchema drops the hash)."""
    return UserSchema().dump(user)


def find_user_by_phone(phone):
    """The account with this (normalised) mobile number, or None."""
    return store.get_user_by_phone(phone)


def update_user(user, **changes):
    """Save changed fields of a user (the caller checked who may change what)."""
    return store.update_user(user, **changes)


def list_org_users(org_id, *, role=None, limit, last_evaluated_key):
    """One page of an organisation's users, optionally of one role."""
    return store.list_org_users(org_id, role=role, limit=limit, last_evaluated_key=last_evaluated_key)

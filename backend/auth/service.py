"""Registration and reset by SMS code, sign-in with backoff, rotating refresh tokens, logout."""

import secrets

from flask_jwt_extended import create_access_token, create_refresh_token, decode_token

from backend.auth import joining, otp, passwords, revocations, store
from backend.auth.models import User
from backend.auth.phones import normalise_phone
from backend.auth.schemas import UserSchema
from backend.common import batch
from backend.common.clock import now_ms
from backend.common.errors import ApiError, field_error
from backend.common.ids import new_id
from backend.common.transactions import TxOp
from backend.config import setting

# Buyers and owner-drivers sign up on their own; a driver or staff joining a carrier brings its invite code
# and waits for the carrier's approval (auth/joining.py).
SELF_SERVICE_ROLES = ("buyer", "driver", "carrier")
hash_password = passwords.hash_password


def validate_new_account(*, phone, password, name):
    """Normalised phone, or a 400 naming the bad field."""
    normalised = normalise_phone(phone)
    if not normalised:
        raise field_error("phone", "not a mainland mobile number (11 digits starting with 1)")
    passwords.check_policy(password, min_length=setting("PASSWORD_MIN_LENGTH"))
    if not (name or "").strip():
        raise field_error("name", "required")
    return normalised


def _new_user(*, phone, password, name, role, now_ms, org_id=None, mine_id=None, license_no=None):
    return User(
        new_id("u"),
        phone=phone,
        name=name.strip(),
        role=role,
        org_id=org_id,
        mine_id=mine_id,
        license_no=license_no,
        password_hash=hash_password(password),
        created_at=now_ms,
        updated_at=now_ms,
    )


def create_user(*, phone, password, name, role, now_ms, org_id=None, mine_id=None, license_no=None):
    """Create an account for someone else (admins, carriers); 409 if the phone number is taken."""
    normalised = validate_new_account(phone=phone, password=password, name=name)
    user = _new_user(
        phone=normalised,
        password=password,
        name=name,
        role=role,
        now_ms=now_ms,
        org_id=org_id,
        mine_id=mine_id,
        license_no=license_no,
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


def _otp_settings():
    return {
        "secret": setting("JWT_SECRET_KEY"),
        "ttl_seconds": setting("OTP_TTL_SECONDS"),
        "max_attempts": setting("OTP_MAX_ATTEMPTS"),
    }


def request_code(*, purpose, phone, address, now_ms, sms):
    """Text a code to register a new number or reset an existing one; the reply never says which numbers exist."""
    normalised = normalise_phone(phone)
    if not normalised:
        raise field_error("phone", "not a mainland mobile number (11 digits starting with 1)")
    limits = {
        "per_phone": setting("OTP_SENDS_PER_PHONE"),
        "per_address": setting("OTP_SENDS_PER_ADDRESS"),
        "resend_seconds": setting("OTP_RESEND_SECONDS"),
    }
    otp.check_send_limits(phone=normalised, address=address, now_ms=now_ms, limits=limits)
    exists = store.get_user_by_phone(normalised) is not None
    # Only the number's owner can receive a code: none for registering a taken number or resetting a free one.
    if exists == (purpose == "reset"):
        otp.send(
            purpose=purpose,
            phone=normalised,
            secret=setting("JWT_SECRET_KEY"),
            now_ms=now_ms,
            ttl_seconds=setting("OTP_TTL_SECONDS"),
            sms=sms,
        )


def _joining(role, invite_code):
    """The carrier a sign-up joins (None: a buyer, or an owner-driver working for themself)."""
    if role == "buyer":
        if invite_code:
            raise field_error("invite_code", "buyers sign up without a carrier's invite code")
        return None
    if role == "carrier" and not invite_code:
        raise field_error("invite_code", "a carrier's staff join their company with its invite code")
    return joining.carrier_for_code(invite_code) if invite_code else None


def register(*, phone, otp_code, password, name, role, now_ms, invite_code=None):
    """Self-service sign-up with the code texted to the number; a taken number fails like a wrong code.

    Buyers and owner-drivers may sign in at once; whoever joins a carrier waits for its approval (pending).
    """
    if role not in SELF_SERVICE_ROLES:
        raise field_error("role", f"self-registration is open to: {', '.join(SELF_SERVICE_ROLES)}")
    normalised = validate_new_account(phone=phone, password=password, name=name)
    carrier = _joining(role, invite_code)
    otp.verify(purpose="register", phone=normalised, code=otp_code, now_ms=now_ms, **_otp_settings())
    user = _new_user(
        phone=normalised, password=password, name=name, role=role, now_ms=now_ms, org_id=carrier and carrier.org_id
    )
    if carrier is not None:
        user.status = "pending"
    try:
        return store.create_user(user)
    except store.PhoneTaken:  # registered by someone else since the code was sent
        raise otp.wrong_code() from None


def reset_password(*, phone, otp_code, password, now_ms):
    """A new password with the code texted to the number; every session of the account ends."""
    normalised = normalise_phone(phone)
    if not normalised:
        raise field_error("phone", "not a mainland mobile number (11 digits starting with 1)")
    passwords.check_policy(password, min_length=setting("PASSWORD_MIN_LENGTH"))
    otp.verify(purpose="reset", phone=normalised, code=otp_code, now_ms=now_ms, **_otp_settings())
    user = store.get_user_by_phone(normalised)
    if user is None:
        raise otp.wrong_code()
    store.update_user(
        user,
        password_hash=hash_password(password),
        tokens_after=now_ms,
        updated_at=now_ms,
        cutoff_expires_at=revocations.cutoff_expiry_ms(now_ms),
    )


def backoff_seconds(failures, *, free, max_delay):
    """Wait before the next try after `failures` wrong passwords: none for the first few, then doubling."""
    if failures < free:
        return 0
    return min(2 ** (failures - free), max_delay)


def _throttled(retry_after_s):
    return ApiError(
        "rate_limited",
        "too many wrong passwords; wait and try again",
        status=429,
        headers={"Retry-After": str(max(int(retry_after_s), 1))},
    )


def authenticate(*, phone, password, address, now_ms, limits):
    """The user for valid credentials; wrong passwords slow this phone from this address, a success resets."""
    normalised = normalise_phone(phone) or str(phone)[:32]
    window = limits["window_seconds"]
    pair_key = f"pa#{normalised}#{address}"
    address_key = f"addr#{address}#{now_ms // 1000 // window * window}"
    pair, per_address = batch.get_many(store.throttle_read(pair_key), store.throttle_read(address_key))
    if per_address is not None and per_address.failures >= limits["per_address"]:
        raise _throttled(window - (now_ms // 1000) % window)
    if pair is not None:
        wait_s = backoff_seconds(pair.failures, free=limits["free_failures"], max_delay=limits["max_delay_seconds"])
        remaining = wait_s - (now_ms - pair.last_failed_at) / 1000
        if remaining > 0:
            raise _throttled(remaining + 0.999)
    user = store.get_user_by_phone(normalised)
    if not passwords.verify(user.password_hash if user else None, password):
        store.record_failure(pair_key, now_ms=now_ms, ttl_seconds=2 * limits["max_delay_seconds"])
        store.record_failure(address_key, now_ms=now_ms, ttl_seconds=2 * window)
        raise ApiError("invalid_credentials", "wrong phone number or password", status=401)
    if pair is not None:
        store.clear_throttle(pair_key)
    if user.status == "pending":
        raise ApiError("account_pending", "your company has not approved this account yet", status=403)
    if user.status != "active":
        raise ApiError("account_disabled", "this account is disabled", status=403)
    return user


def token_claims(user):
    """What the PWA and the access checks need without a database read."""
    return {"role": user.role, "org_id": user.org_id, "mine_id": user.mine_id, "name": user.name}


def _refresh_token(user, family_id):
    jti = f"{family_id}.{secrets.token_hex(12)}"
    claims = dict(token_claims(user), jti=jti, fam=family_id)
    return jti, create_refresh_token(identity=user.user_id, additional_claims=claims)


def _refresh_ttl():
    return setting("JWT_REFRESH_DAYS") * 86400


def issue_tokens(user, *, now_ms):
    """A new sign-in: (reply with the access token, refresh token for the cookie) and the family that rotates it."""
    family_id = new_id("tf")
    jti, refresh_token = _refresh_token(user, family_id)
    store.create_family(family_id=family_id, user_id=user.user_id, jti=jti, now_ms=now_ms, ttl_seconds=_refresh_ttl())
    access = create_access_token(identity=user.user_id, additional_claims=token_claims(user))
    return {"access_token": access, "user": user}, refresh_token


def _session_error(code, message):
    return ApiError(code, message, status=401)


def refresh_claims(refresh_token):
    """The claims of a refresh token from the cookie, or a 401 (absent, forged, expired, not a refresh token)."""
    if not refresh_token:
        raise _session_error("no_session", "not signed in on this device")
    try:
        claims = decode_token(refresh_token)
    except Exception:  # flask-jwt-extended raises several types for forged or expired tokens
        raise _session_error("invalid_token", "the session is not valid; sign in again") from None
    if claims.get("type") != "refresh" or not claims.get("fam"):
        raise _session_error("invalid_token", "the session is not valid; sign in again")
    return claims


def refresh(*, refresh_token, now_ms):
    """Rotate: a new access token and a new refresh token; replaying an old one revokes the whole family.

    The token a rotation just replaced still counts for REFRESH_REUSE_GRACE_SECONDS: a page reloaded while
    its refresh was in flight never received the new cookie, and two tabs may refresh at once. Later, or
    any older token, is theft: the family is revoked.
    """
    claims = refresh_claims(refresh_token)
    family_id, jti = claims["fam"], claims["jti"]
    user, family = batch.get_many(store.user_read(claims["sub"]), store.family_read(family_id))
    for _attempt in range(2):
        if family is None or family.revoked or family.user_id != claims["sub"]:
            raise _session_error("token_revoked", "the session was signed out; sign in again")
        if family.current_jti != jti and not _just_rotated(family, jti, now_ms):
            store.revoke_family(family_id)  # an old token came back: whoever holds the family may have stolen it
            raise _session_error("token_reused", "this session was used elsewhere; sign in again")
        if user is None or user.status != "active" or family.created_at < (user.tokens_after or 0):
            store.revoke_family(family_id)
            raise _session_error("account_disabled", "this account can no longer sign in")
        new_jti, new_token = _refresh_token(user, family_id)
        rotated = store.rotate_family(
            family_id=family_id, old_jti=family.current_jti, new_jti=new_jti, now_ms=now_ms, ttl_seconds=_refresh_ttl()
        )
        if rotated:
            access = create_access_token(identity=user.user_id, additional_claims=token_claims(user))
            return {"access_token": access, "user": user}, new_token
        family = store.get_family(family_id)  # a concurrent refresh won: look again
    store.revoke_family(family_id)
    raise _session_error("token_reused", "this session was used elsewhere; sign in again")


def _just_rotated(family, jti, now_ms):
    grace_ms = setting("REFRESH_REUSE_GRACE_SECONDS") * 1000
    return jti == family.previous_jti and family.rotated_at is not None and now_ms - family.rotated_at <= grace_ms


def logout(*, refresh_token):
    """End this device's session (its refresh family); an invalid session is refused and nothing is revoked."""
    claims = refresh_claims(refresh_token)
    store.revoke_family(claims["fam"])


def is_access_revoked(claims):
    """For the blocklist hook: an access token issued before its user's sessions were ended (seconds-old cache)."""
    return revocations.access_revoked(claims)


def is_revoked(jti):
    """For flask-jwt-extended's blocklist hook: a refresh token is live only while it is its family's newest."""
    family_id = str(jti).split(".", 1)[0]
    family = store.get_family(family_id)
    return family is None or family.revoked or family.current_jti != jti


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
    """Save changed fields of a user (the caller checked who may change what); disabling ends every session."""
    if changes.get("status", "active") != "active":
        changes.setdefault("tokens_after", changes.get("updated_at") or now_ms())
    if "tokens_after" in changes:
        changes["cutoff_expires_at"] = revocations.cutoff_expiry_ms(changes["tokens_after"])
    return store.update_user(user, **changes)


def list_org_users(org_id, *, role=None, limit, last_evaluated_key):
    """One page of an organisation's users, optionally of one role."""
    return store.list_org_users(org_id, role=role, limit=limit, last_evaluated_key=last_evaluated_key)

"""Users, phone uniqueness, refresh-token families, one-time codes and sign-in throttles in DynamoDB."""

from datetime import UTC, datetime

from pynamodb.exceptions import DeleteError, DoesNotExist, TransactWriteError, UpdateError

from backend import db
from backend.auth.models import LoginThrottle, OneTimeCode, SessionCutoff, TokenFamily, User
from backend.common import store as common_store
from backend.common.batch import Read


class PhoneTaken(Exception):
    """Another account holds this phone number."""


def get_user(user_id):
    """A user by id, or None."""
    try:
        return User.get(user_id)
    except DoesNotExist:
        return None


def user_read(user_id):
    """A batch read of one user (backend.common.batch)."""
    return Read(User, user_id)


def is_user_read(read, user_id):
    """True for the batch read of this user (how a request hook finds its record in a batch)."""
    return read.model is User and read.hash_key == user_id


def get_user_by_phone(phone):
    """A user by phone number through its unique claim, or None."""
    owner = common_store.unique_owner(f"phone#{phone}")
    return get_user(owner) if owner else None


def create_user(user):
    """Insert a user and claim its phone number in one transaction."""
    try:
        with db.transaction() as tx:
            common_store.unique_claim_op(f"phone#{user.phone}", user.user_id)(tx)
            tx.save(user, condition=User.user_id.does_not_exist())
    except TransactWriteError as error:
        raise PhoneTaken(user.phone) from error
    return user


def update_user(user, *, cutoff_expires_at=None, **changes):
    """Set attributes on an existing user; a new tokens_after is also published as a cut-off, in one transaction."""
    actions = [getattr(User, name).set(value) for name, value in changes.items()]
    if "tokens_after" not in changes:
        user.update(actions=actions, condition=User.user_id.exists())
        return user
    cutoff = SessionCutoff(
        CUTOFF_BUCKET,
        _cutoff_key(changes["tokens_after"], user.user_id),
        user_id=user.user_id,
        tokens_after=changes["tokens_after"],
        expires_at=datetime.fromtimestamp(cutoff_expires_at / 1000, UTC),
    )
    with db.transaction() as tx:
        tx.update(user, actions=actions, condition=User.user_id.exists())
        tx.save(cutoff)
    for name, value in changes.items():
        setattr(user, name, value)
    return user


CUTOFF_BUCKET = "recent"


def _cutoff_key(at_ms, user_id):
    return f"{int(at_ms):013d}#{user_id}"


def cutoffs_since(since_ms):
    """{user_id: newest tokens_after} of the cut-offs at or after since_ms: one Query (pages of 500)."""
    newest = {}
    for cutoff in SessionCutoff.query(
        CUTOFF_BUCKET, SessionCutoff.at_user >= f"{int(since_ms):013d}", consistent_read=True, page_size=500
    ):
        newest[cutoff.user_id] = max(newest.get(cutoff.user_id, 0), cutoff.tokens_after)
    return newest


def list_org_users(org_id, *, role=None, limit, last_evaluated_key):
    """One page of an organisation's users, optionally of one role."""
    condition = (User.role == role) if role else None
    query = lambda **kw: User.by_org.query(org_id, filter_condition=condition, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def no_show_op(user_id):
    """A transaction step adding one no-show to a driver's record (counted in their credit)."""
    user = User(user_id)
    return lambda tx: tx.update(user, actions=[User.no_shows.add(1)], condition=User.user_id.exists())


def _expiry(seconds, now_ms):
    return datetime.fromtimestamp(now_ms / 1000 + seconds, tz=UTC)


def _condition_failed(error):
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


# Refresh-token families
def family_read(family_id):
    """A batch read of one family (read beside its user in the refresh's one BatchGetItem)."""
    return Read(TokenFamily, family_id)


def get_family(family_id):
    try:
        return TokenFamily.get(family_id, consistent_read=True)
    except DoesNotExist:
        return None


def create_family(*, family_id, user_id, jti, now_ms, ttl_seconds):
    """A new sign-in whose first refresh token is `jti`."""
    family = TokenFamily(
        family_id, user_id=user_id, current_jti=jti, created_at=now_ms, expires_at=_expiry(ttl_seconds, now_ms)
    )
    family.save(condition=TokenFamily.family_id.does_not_exist())
    return family


def rotate_family(*, family_id, old_jti, new_jti, now_ms, ttl_seconds):
    """Make `new_jti` the family's one live token; False when `old_jti` was not the live one (or it was revoked)."""
    try:
        TokenFamily(family_id).update(
            actions=[
                TokenFamily.current_jti.set(new_jti),
                TokenFamily.previous_jti.set(old_jti),
                TokenFamily.rotated_at.set(now_ms),
                TokenFamily.expires_at.set(_expiry(ttl_seconds, now_ms)),
            ],
            condition=(TokenFamily.current_jti == old_jti) & (TokenFamily.revoked == False),  # noqa: E712
        )
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def revoke_family(family_id):
    """No token of this family refreshes again (missing families stay missing)."""
    try:
        TokenFamily(family_id).update(actions=[TokenFamily.revoked.set(True)], condition=TokenFamily.family_id.exists())
    except UpdateError as error:
        if not _condition_failed(error):
            raise


# SMS one-time codes
def put_code(*, key, code_hash, now_ms, ttl_seconds):
    """Keep the newest code for a purpose and phone (a resend replaces the previous one)."""
    OneTimeCode(key, code_hash=code_hash, attempts=0, sent_at=now_ms, expires_at=_expiry(ttl_seconds, now_ms)).save()


def take_attempt(key, *, max_attempts):
    """Count one try at a code and return it; None when there is none or its tries are used up (atomic)."""
    record = OneTimeCode(key)
    try:
        record.update(
            actions=[OneTimeCode.attempts.add(1)],
            condition=OneTimeCode.key.exists() & (OneTimeCode.attempts < max_attempts),
        )
    except UpdateError as error:
        if _condition_failed(error):
            return None
        raise
    return record


def consume_code(key, *, code_hash):
    """Delete a code that was entered right; False when a concurrent request used it first."""
    try:
        OneTimeCode(key).delete(condition=OneTimeCode.code_hash == code_hash)
    except DeleteError as error:
        if _condition_failed(error):
            return False
        raise
    return True


# Sign-in throttles
def throttle_read(key):
    return Read(LoginThrottle, key)


def record_failure(key, *, now_ms, ttl_seconds):
    """One more failed sign-in under `key`; the record lives ttl_seconds past the last failure."""
    LoginThrottle(key).update(
        actions=[
            LoginThrottle.failures.add(1),
            LoginThrottle.last_failed_at.set(now_ms),
            LoginThrottle.expires_at.set(_expiry(ttl_seconds, now_ms)),
        ]
    )


def clear_throttle(key):
    """Forget failures (a successful sign-in or a password reset)."""
    LoginThrottle(key).delete()

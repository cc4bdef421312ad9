"""Users, phone uniqueness and the token blocklist in DynamoDB."""

from datetime import UTC, datetime

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.auth.models import RevokedToken, User
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


def update_user(user, **changes):
    """Set attributes on an existing user."""
    actions = [getattr(User, name).set(value) for name, value in changes.items()]
    user.update(actions=actions, condition=User.user_id.exists())
    return user


def list_org_users(org_id, *, role=None, limit, last_evaluated_key):
    """One page of an organisation's users, optionally of one role."""
    condition = (User.role == role) if role else None
    query = lambda **kw: User.by_org.query(org_id, filter_condition=condition, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def no_show_op(user_id):
    """A transaction step adding one no-show to a driver's record (counted in their credit)."""
    user = User(user_id)
    return lambda tx: tx.update(user, actions=[User.no_shows.add(1)], condition=User.user_id.exists())


def revoke(jti, expires_at_s):
    """Put a token on the blocklist until its own expiry."""
    RevokedToken(jti, expires_at=datetime.fromtimestamp(expires_at_s, tz=UTC)).save()


def is_revoked(jti):
    """True when the token was logged out."""
    try:
        RevokedToken.get(jti)
        return True
    except DoesNotExist:
        return False

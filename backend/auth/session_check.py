"""A disabled account's access token stops writing at once, at no extra round trip.

Access tokens are not looked up per request (CONTRIBUTING "Design notes": token revocation). But a hot write
already reads its records in one BatchGetItem (backend.common.batch); on a signed-in write this hook adds the
caller's user record to that batch and refuses the write (401 token_revoked) when the account is disabled or
its sessions were ended (tokens_after: a disable or a password reset). Reads and writes that do not batch are
refused once the process's copy of recent cut-offs is re-read (backend/auth/revocations.py, seconds).
"""

from flask import request
from flask_jwt_extended import get_jwt, verify_jwt_in_request

from backend.auth import store
from backend.common import batch
from backend.common.access import ACCESS_VERIFIED
from backend.common.errors import ApiError

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def still_valid(user, claims):
    """False when the account behind an access token is gone, disabled, or ended its sessions after it was issued."""
    if user is None or user.status != "active":
        return False
    # iat is whole seconds: a token from the reset's own second is let through rather than a fresh sign-in refused.
    return (claims.get("iat", 0) + 1) * 1000 > (user.tokens_after or 0)


class UserStatusRead:
    """batch hooks (wants_read/read/owns/received): the caller's user, read once in the request's first batch."""

    def __init__(self, claims):
        self.claims = claims
        self.checked = False

    def wants_read(self):
        return not self.checked

    def read(self):
        return store.user_read(self.claims["sub"])

    def owns(self, read):
        return store.is_user_read(read, self.claims["sub"])

    def received(self, user):
        self.checked = True
        if not still_valid(user, self.claims):
            raise ApiError("token_revoked", "this account's sessions were ended; sign in again", status=401)


def watch_writes():
    """before_app_request: on a write with a valid access token, join the user's status to its batch read."""
    if request.method not in WRITE_METHODS or not request.headers.get("Authorization", "").startswith("Bearer "):
        return
    try:
        if not request.environ.get(ACCESS_VERIFIED):  # first in line (create_app): usually the only decode
            verify_jwt_in_request(optional=True)
        claims = get_jwt()
    except Exception:  # an invalid token is refused later by the view's own check
        return
    if not claims or claims.get("type") != "access":
        return
    request.environ[ACCESS_VERIFIED] = True  # decoded once: the access decorator need not do it again
    batch.add_request_read(UserStatusRead(claims))

"""A JWTManager that checks each token's signature once per process, not on every request.

PyJWT decodes a token three times per check (claims unverified, header, then verified) and validates each
base64 segment one character at a time in Python: a third of a millisecond on every signed-in request, for the
same few thousand tokens a container sees again and again. A token string is immutable and its signature
covers all of it, so once verified with a key its claims are those claims for as long as it has not expired:
they are kept, keyed by the token and the key it was verified with, and dropped at `exp` (checked on every use,
so an expired token is refused exactly as before). Revocation is not affected: the blocklist callback and the
write-time account check run on the claims every time (backend/common/jwt_hooks.py, backend/auth/session_check.py).
"""

import time

from flask_jwt_extended import JWTManager, view_decorators
from flask_jwt_extended.config import config
from flask_jwt_extended.utils import get_unverified_jwt_headers

from backend.common.bounded_lru import BoundedLRU

MAX_TOKENS = 4096  # ~1 KB each: a container's signed-in phones, bounded


class VerifiedTokens:
    """(token, key) → claims, least recently used dropped first; thread-safe."""

    def __init__(self, size=MAX_TOKENS):
        self._claims = BoundedLRU(size)

    def get(self, token, key, now):
        claims = self._claims.get((token, key))
        if claims is None:
            return None
        if now >= claims["exp"]:
            self._claims.pop((token, key))
            return None
        return dict(claims)  # callers may add to their copy

    def put(self, token, key, claims):
        self._claims.put((token, key), dict(claims))

    def clear(self):
        self._claims.clear()


class CachingJWTManager(JWTManager):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.verified = VerifiedTokens()

    def _decode_jwt_from_config(self, encoded_token, csrf_value=None, allow_expired=False):
        # Only the plain case is kept: cookies' CSRF values and the expired-token paths are checked in full.
        plain = csrf_value is None and not allow_expired and config.leeway == 0
        key = config.decode_key if plain else None
        if plain:
            claims = self.verified.get(encoded_token, key, time.time())
            if claims is not None:
                return claims
        claims = super()._decode_jwt_from_config(encoded_token, csrf_value=csrf_value, allow_expired=allow_expired)
        if plain and isinstance(claims.get("exp"), int | float):
            self.verified.put(encoded_token, key, claims)
        return claims


class KnownHeaders:
    """token → its (unsigned) header, least recently used dropped first; thread-safe.

    After a token is decoded, flask-jwt-extended parses its header again on every request (for the `fresh`
    check and the callbacks), through the same character-by-character base64 check: as much as the decode
    this module saves. The header is a pure function of the token string, so it is kept by that string.
    """

    def __init__(self, size=MAX_TOKENS):
        self._headers = BoundedLRU(size)

    def __call__(self, encoded_token):
        header = self._headers.get(encoded_token)
        if header is None:
            header = get_unverified_jwt_headers(encoded_token)  # raises for a malformed token, as before
            self._headers.put(encoded_token, header)
        return dict(header)  # callers may change their copy


# The request path's only caller (view_decorators._decode_jwt_from_request, after the token was decoded).
view_decorators.get_unverified_jwt_headers = KnownHeaders()

"""A JWTManager that checks each token's signature once per process, not on every request.

PyJWT decodes a token three times per check (claims unverified, header, then verified) and validates each
base64 segment one character at a time in Python: a third of a millisecond on every signed-in request, for the
same few thousand tokens a container sees again and again. A token string is immutable and its signature
covers all of it, so once verified with a key its claims are those claims for as long as it has not expired:
they are kept, keyed by the token and the key it was verified with, and dropped at `exp` (checked on every use,
so an expired token is refused exactly as before). Revocation is not affected: the blocklist callback and the
write-time account check run on the claims every time (backend/common/jwt_hooks.py, backend/auth/session_check.py).
"""

import threading
import time
from collections import OrderedDict

from flask_jwt_extended import JWTManager, view_decorators
from flask_jwt_extended.config import config
from flask_jwt_extended.utils import get_unverified_jwt_headers

MAX_TOKENS = 4096  # ~1 KB each: a container's signed-in phones, bounded


class VerifiedTokens:
    """(token, key) → claims, least recently used dropped first; thread-safe."""

    def __init__(self, size=MAX_TOKENS):
        self._claims, self._size, self._lock = OrderedDict(), size, threading.Lock()

    def get(self, token, key, now):
        with self._lock:
            claims = self._claims.get((token, key))
            if claims is None:
                return None
            if now >= claims["exp"]:
                del self._claims[(token, key)]
                return None
            self._claims.move_to_end((token, key))
            return dict(claims)  # callers may add to their copy

    def put(self, token, key, claims):
        with self._lock:
            self._claims[(token, key)] = dict(claims)
            self._claims.move_to_end((token, key))
            while len(self._claims) > self._size:
                self._claims.popitem(last=False)

    def clear(self):
        with self._lock:
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
        self._headers, self._size, self._lock = OrderedDict(), size, threading.Lock()

    def __call__(self, encoded_token):
        with self._lock:
            header = self._headers.get(encoded_token)
            if header is not None:
                self._headers.move_to_end(encoded_token)
                return dict(header)
        header = get_unverified_jwt_headers(encoded_token)  # raises for a malformed token, as before
        with self._lock:
            self._headers[encoded_token] = dict(header)
            while len(self._headers) > self._size:
                self._headers.popitem(last=False)
        return header


# The request path's only caller (view_decorators._decode_jwt_from_request, after the token was decoded).
view_decorators.get_unverified_jwt_headers = KnownHeaders()

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

from flask_jwt_extended import JWTManager
from flask_jwt_extended.config import config

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

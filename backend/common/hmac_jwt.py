"""PyJWT and flask-jwt-extended loaded without `cryptography` (the Lambda entry, backend/wsgi.py).

Our access and refresh tokens are HS256 (HMAC, the standard library). PyJWT imports cryptography at load
whenever it is installed, only to offer RSA/EC algorithms we never accept; that native module costs a cold
start ~40 ms that a request for the order hall never needs. Hidden while PyJWT loads, it registers the HMAC
algorithms only; cryptography itself loads later, on the first request that needs it (Web Push, SM4, gate
passes: backend/common/es256_jwt.py signs VAPID tokens without PyJWT). Tests import PyJWT normally.
"""

import sys


class _Hidden:
    """A meta-path finder that reports one top-level package as not installed."""

    def __init__(self, top):
        self.top = top

    def find_spec(self, name, path=None, target=None):
        if name == self.top or name.startswith(self.top + "."):
            raise ModuleNotFoundError(f"{name} is loaded on first use", name=name)
        return None


def import_hiding(top, module):
    """Import `module` while the package `top` looks not installed (no-op once either is loaded)."""
    if module in sys.modules or top in sys.modules:
        return
    hidden = _Hidden(top)
    sys.meta_path.insert(0, hidden)
    try:
        __import__(module)
    finally:
        sys.meta_path.remove(hidden)


def load():
    """Import PyJWT and flask-jwt-extended with cryptography hidden (no-op once either is loaded)."""
    if "jwt" not in sys.modules:
        import_hiding("cryptography", "flask_jwt_extended")  # which imports jwt

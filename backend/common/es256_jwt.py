"""ES256 JSON Web Tokens signed with `cryptography` directly (Web Push's VAPID token, RFC 8292).

The Lambda entry loads PyJWT without cryptography (backend/common/hmac_jwt.py: our session tokens are HS256),
so PyJWT offers no ES256 there; this signs the same compact JWS PyJWT would (sorted header, compact JSON).
"""

import base64
import json


def _b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _compact(value):
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")


def encode(claims, private_key):
    """`header.payload.signature` for an EC P-256 private key: ECDSA SHA-256, signature r || s (RFC 7518 §3.4)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    signing_input = _b64(_compact({"alg": "ES256", "typ": "JWT"})) + "." + _b64(_compact(claims))
    r, s = decode_dss_signature(private_key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + _b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

"""Web Push without a push library: VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291 / RFC 8188).

Configuration (environment variables, in backend/config.py's table):
- VAPID_PRIVATE_KEY: the application server's P-256 private key, either base64url of the raw 32-byte
  scalar (what `python -m backend.notifications.webpush --generate-keys` prints) or a PEM (PKCS#8 / SEC1).
  The public key browsers subscribe with is derived from it, so it is the only secret.
- VAPID_SUBJECT: a `mailto:` or `https:` contact for the push services (RFC 8292 §2.1).
- PUSH_ALLOW_HTTP_LOOPBACK=1: tests only; lets subscriptions point at an http push service on 127.0.0.1.

urllib.request only (requests is not in the Lambda package); redirects are not followed, so a
subscription endpoint cannot bounce the function's POST somewhere else.
"""

import base64
import functools
import ipaddress
import json
import logging
import os
import struct
import time
from urllib.parse import urlsplit

from backend.common import es256_jwt
from backend.config import setting

log = logging.getLogger("coalhaul.push")

RECORD_SIZE = 4096
MAX_PAYLOAD = RECORD_SIZE - 16 - 1 - 86  # push services accept 4096 bytes of body: header 86, tag 16, delimiter 1
JWT_LIFETIME_S = 12 * 3600  # RFC 8292 caps exp at 24 h; half leaves room for clock skew at the push service
TIMEOUT_S = 5  # a call-in is answered inside an API request: one slow push service must not hold it long
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_private_key(value):
    """A P-256 private key from base64url of the raw 32-byte scalar or from a PEM."""
    # cryptography's native module loads with the first push, not with every domain that imports this one.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    value = value.strip()
    if value.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(value.encode(), password=None)
    else:
        raw = b64url_decode(value)
        if len(raw) != 32:
            raise ValueError("VAPID_PRIVATE_KEY must be 32 bytes (base64url) or a PEM")
        key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("VAPID_PRIVATE_KEY must be a P-256 (prime256v1) key")
    return key


def public_bytes(key):
    """The uncompressed point (65 bytes, 0x04 || X || Y) of a private or public P-256 key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def generate_keys():
    """A fresh VAPID key pair as (private, public), both base64url."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big")), b64url(public_bytes(key))


def endpoint_allowed(endpoint):
    """https to a named host; plain http only to loopback, and only when tests allow it."""
    parts = urlsplit(endpoint or "")
    host = parts.hostname or ""
    if parts.scheme == "http":
        return host in LOOPBACK_HOSTS and setting("PUSH_ALLOW_HTTP_LOOPBACK")
    if parts.scheme != "https" or not host or host in LOOPBACK_HOSTS:
        return False
    try:
        ipaddress.ip_address(host)
        return False  # push services have names; an IP literal is a probe of the function's network
    except ValueError:
        return True


def _hkdf(salt, ikm, info, length):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def encrypt(plaintext, *, p256dh, auth, salt=None, server_key=None):
    """RFC 8291 message encryption into one aes128gcm record (RFC 8188) with the 0x02 last-record delimiter."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(plaintext) > MAX_PAYLOAD:
        raise ValueError(f"push payload is {len(plaintext)} bytes; at most {MAX_PAYLOAD}")
    ua_public = b64url_decode(p256dh)
    auth_secret = b64url_decode(auth)
    server_key = server_key or ec.generate_private_key(ec.SECP256R1())
    as_public = public_bytes(server_key)
    ua_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), ua_public)
    ecdh_secret = server_key.exchange(ec.ECDH(), ua_key)
    ikm = _hkdf(auth_secret, ecdh_secret, b"WebPush: info\x00" + ua_public + as_public, 32)
    salt = salt or os.urandom(16)
    cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)  # record 0: the nonce XOR 0 is itself
    record = AESGCM(cek).encrypt(nonce, plaintext + b"\x02", None)
    header = salt + struct.pack("!IB", RECORD_SIZE, len(as_public)) + as_public
    return header + record


def vapid_header(endpoint, private_key, subject, now_s=None):
    """`vapid t=<ES256 JWT>, k=<public key>` for the push service that owns the endpoint (RFC 8292 §3)."""
    parts = urlsplit(endpoint)
    audience = f"{parts.scheme}://{parts.netloc}"
    claims = {"aud": audience, "exp": int(now_s or time.time()) + JWT_LIFETIME_S, "sub": subject}
    token = es256_jwt.encode(claims, private_key)  # not PyJWT: the Lambda loads it without ES256 (common/hmac_jwt.py)
    return f"vapid t={token}, k={b64url(public_bytes(private_key))}"


@functools.cache
def _opener():
    """An opener that follows no redirect; built on the first send (it loads the CA store: ~20 ms of cold start)."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(NoRedirect)


class VapidSender:
    """Encrypts and POSTs one notification; deletes subscriptions the push service says are gone."""

    def __init__(self, private_key, subject, ttl_s=600):
        self.private_key = load_private_key(private_key) if isinstance(private_key, str) else private_key
        self.subject, self.ttl_s = subject, ttl_s

    def send(self, subscription, payload):
        """True when the push service accepted the message; False (logged) otherwise."""
        endpoint = subscription.endpoint
        if not endpoint_allowed(endpoint):
            log.warning("push endpoint refused: %s", endpoint[:60])
            return False
        import urllib.error  # only a send needs the HTTP stack: kept off the cold start
        import urllib.request

        body = encrypt(
            json.dumps(payload, ensure_ascii=False).encode(),
            p256dh=subscription.keys["p256dh"],
            auth=subscription.keys["auth"],
        )
        request = urllib.request.Request(
            endpoint,
            data=body,
            method="POST",
            headers={
                "Authorization": vapid_header(endpoint, self.private_key, self.subject),
                "Content-Encoding": "aes128gcm",
                "Content-Type": "application/octet-stream",
                "TTL": str(self.ttl_s),
                "Urgency": "high",
            },
        )
        try:
            with _opener().open(request, timeout=TIMEOUT_S) as reply:
                return 200 <= reply.status < 300
        except urllib.error.HTTPError as error:
            return self._failed(subscription, error.code)
        except (urllib.error.URLError, OSError) as error:
            log.warning("push service unreachable (%s): %s", urlsplit(endpoint).hostname, error)
            return False

    def _failed(self, subscription, status):
        host = urlsplit(subscription.endpoint).hostname
        if status in (404, 410):
            log.info("push subscription gone (%s from %s): deleted", status, host)
            subscription.delete()
        elif status == 429 or status >= 500:
            log.warning("push service busy (%s from %s): not delivered", status, host)
        else:
            log.error("push refused (%s from %s): check the VAPID keys and payload", status, host)
        return False


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate-keys", action="store_true", help="print a new VAPID key pair")
    args = parser.parse_args(argv)
    if not args.generate_keys:
        parser.print_help()
        return 2
    private, public = generate_keys()
    print(f"VAPID_PRIVATE_KEY={private}\n# public key (served at /api/appointments/push/key): {public}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

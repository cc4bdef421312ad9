"""Secrets the platform must keep in order to use them later (a webhook's signing secret), sealed at rest.

Most of our keys are derived on demand and never stored (devices', gate passes'). A webhook's signing secret
cannot be: the receiver holds a copy, so ours must survive restarts and rotations of our own keys. It is kept
sealed with AES-256-GCM under a key derived (HKDF-SHA256) from SECRET_SEAL_KEY, with the purpose as associated
data, so a table read, a backup or an export shows no usable secret and a value sealed for one purpose does not
open as another.

A sealed value reads `sealed:v1:<key id>:<base64url(nonce | ciphertext | tag)>`. The key id names the key that
sealed it, so the key can change: set SECRET_SEAL_KEY_PREVIOUS to the old key, SECRET_SEAL_KEY to the new one,
run the reseal job (`python -m backend.webhooks.reseal`), then drop the previous key. A value written before
sealing existed (no prefix) is read as it is until the job seals it.
"""

import base64
import functools
import hashlib
import hmac
import os

from pynamodb.attributes import UnicodeAttribute

from backend.config import setting

PREFIX = "sealed:v1:"
NONCE_BYTES = 12


class SealError(ValueError):
    """A sealed value that no configured key opens (wrong key, another purpose, or tampered with)."""


@functools.lru_cache(maxsize=8)
def _key(material):
    """(key id, AESGCM) for a configured key's text: the same text always gives the same key."""
    # Imported here: a container whose requests never open a sealed value does not load the cipher library.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"coalhaul secret seal v1").derive(
        material.encode()
    )
    key_id = hmac.new(derived, b"key id", hashlib.sha256).hexdigest()[:8]
    return key_id, AESGCM(derived)


def _keys():
    """The current key first, then the previous one while a change of key is under way."""
    keys = [_key(setting("SECRET_SEAL_KEY"))]
    previous = setting("SECRET_SEAL_KEY_PREVIOUS")
    if previous:
        keys.append(_key(previous))
    return keys


def seal(plaintext, *, purpose):
    key_id, cipher = _keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = cipher.encrypt(nonce, plaintext.encode(), purpose.encode())
    return f"{PREFIX}{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def is_sealed(value):
    return isinstance(value, str) and value.startswith(PREFIX)


def unseal(value, *, purpose):
    """The secret in `value`; a value stored before sealing existed is returned as it is."""
    if not is_sealed(value):
        return value
    key_id, _, body = value[len(PREFIX) :].partition(":")
    for known_id, cipher in _keys():
        if known_id == key_id:
            try:
                raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
                return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode()).decode()
            except Exception as error:  # InvalidTag, a cut value, bad base64: all mean "not ours to open"
                raise SealError(f"a sealed {purpose} does not open with its key {key_id}") from error
    raise SealError(f"a sealed {purpose} names key {key_id}, which is not configured (SECRET_SEAL_KEY[_PREVIOUS])")


def needs_resealing(value):
    """True for a value in the clear or sealed by a key other than the current one (the reseal job's test)."""
    if value is None:
        return False
    if not is_sealed(value):
        return True
    return value[len(PREFIX) :].partition(":")[0] != _keys()[0][0]


class SealedAttribute(UnicodeAttribute):
    """A string attribute sealed as it is written and opened as it is read: the model's code sees the secret,
    the table only its sealed form (a new nonce on every write). Never used in a condition or a key."""

    def __init__(self, *, purpose, **kwargs):
        super().__init__(**kwargs)
        self.purpose = purpose

    def serialize(self, value):
        return seal(value, purpose=self.purpose)

    def deserialize(self, value):
        return unseal(value, purpose=self.purpose)

"""Password policy and hashing: length, not blank, not a common password; a KDF run even for unknown numbers."""

import functools
import os

from werkzeug.security import check_password_hash, generate_password_hash

from backend.common.errors import field_error

BLOCKLIST_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "common_passwords.txt")
MAX_LENGTH = 128  # a KDF over megabytes of "password" is a denial of service, not security


@functools.lru_cache(maxsize=1)
def blocklist():
    """The shipped list of common passwords, lower-cased."""
    with open(BLOCKLIST_PATH, encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip() and not line.startswith("#"))


def check_policy(password, *, min_length, field="password"):
    """None for an acceptable new password, else a 400 naming `field`."""
    text = password or ""
    if len(text) < min_length:
        raise field_error(field, f"at least {min_length} characters")
    if len(text) > MAX_LENGTH:
        raise field_error(field, f"at most {MAX_LENGTH} characters")
    if not text.strip():
        raise field_error(field, "cannot be only spaces")
    if text.strip().lower() in blocklist():
        raise field_error(field, "too common: choose a password others would not guess")


def hash_password(password):
    """A salted scrypt hash (werkzeug's default KDF)."""
    return generate_password_hash(password)


@functools.lru_cache(maxsize=1)
def _dummy_hash():
    return generate_password_hash("not-a-password-anyone-has")


def verify(password_hash, password):
    """Check a password; with no hash (unknown number) the KDF still runs, so the time taken reveals nothing."""
    if not password or len(password) > MAX_LENGTH:
        check_password_hash(_dummy_hash(), "x")
        return False
    if password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)

"""Readable random ids: a short prefix says what the id names."""

import secrets


def new_id(prefix):
    """e.g. new_id("wb") -> "wb_5f3a9c0d1e2b4a67"."""
    return f"{prefix}_{secrets.token_hex(8)}"

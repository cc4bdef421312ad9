"""Local-only secrets: generated once under .data/ so tokens and device keys survive restarts."""

import os
import secrets

from backend.config import REQUIRED_SECRETS as NAMES


def load_or_create(path):
    """Set missing secret env vars from (or into) a local file that is never committed."""
    values = {}
    if os.path.exists(path):
        with open(path) as handle:
            for line in handle:
                if "=" in line:
                    key, value = line.strip().split("=", 1)
                    values[key] = value
    for name in NAMES:
        values.setdefault(name, secrets.token_hex(32))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.writelines(f"{k}={v}\n" for k, v in values.items())
    os.chmod(path, 0o600)
    for name, value in values.items():
        os.environ.setdefault(name, value)

"""Configuration from the environment: the one place settings are read."""
import os


def _int(name, default):
    return int(os.environ.get(name, default))


class Config:
    """Settings for create_app; tests pass overrides as keyword arguments."""

    def __init__(self, **overrides):
        env = os.environ
        self.TESTING = False
        self.DYNAMODB_HOST = env.get("DYNAMODB_HOST") or None  # None → the real AWS endpoint
        self.AWS_REGION = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "cn-northwest-1"
        self.TABLE_PREFIX = env.get("TABLE_PREFIX", "coalhaul-dev-")
        self.JWT_SECRET_KEY = env.get("JWT_SECRET_KEY", "")
        # Short-lived: access tokens are not checked against the blocklist (see common/jwt_hooks.py).
        self.JWT_ACCESS_TOKEN_EXPIRES = _int("JWT_ACCESS_MINUTES", 10) * 60
        self.JWT_REFRESH_TOKEN_EXPIRES = _int("JWT_REFRESH_DAYS", 14) * 86400
        # Devices' HMAC keys are derived from this master key, so no device secret is stored.
        self.DEVICE_MASTER_KEY = env.get("DEVICE_MASTER_KEY", "")
        self.DEVICE_MAX_SKEW_MS = _int("DEVICE_MAX_SKEW_MS", 5 * 60 * 1000)
        self.LOGIN_LIMIT_PER_PHONE = _int("LOGIN_LIMIT_PER_PHONE", 5)
        self.LOGIN_LIMIT_PER_ADDRESS = _int("LOGIN_LIMIT_PER_ADDRESS", 30)
        self.LOGIN_WINDOW_SECONDS = _int("LOGIN_WINDOW_SECONDS", 900)
        self.IDEMPOTENCY_TTL_SECONDS = _int("IDEMPOTENCY_TTL_SECONDS", 86400)
        self.PWA_DIR = env.get("PWA_DIR", "")
        self.VENDOR_DIR = env.get("VENDOR_DIR", "")
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        for key, value in overrides.items():
            setattr(self, key, value)
        if not self.JWT_SECRET_KEY or not self.DEVICE_MASTER_KEY:
            raise RuntimeError("JWT_SECRET_KEY and DEVICE_MASTER_KEY must be set in the environment")

    def as_flask(self):
        """The settings as a dict for app.config."""
        return {k: v for k, v in vars(self).items() if k.isupper()}

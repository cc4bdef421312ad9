"""Tracking settings: app.config first (tests override there), then the environment, then defaults."""
import os

from flask import current_app, has_app_context

DEFAULTS = {
    "TRACK_RETENTION_DAYS": 180,
    "TRACK_MAX_FUTURE_MS": 5 * 60 * 1000,
    "TRACK_MAX_SPEED_KMH": 160,
    "TRACK_MAX_ACCURACY_M": 2000,
    "TRACK_CORRIDOR_M": 5000,
    "TRACK_DEVIATION_MS": 10 * 60 * 1000,
    "TRACK_LONG_STOP_MS": 30 * 60 * 1000,
    "TRACK_DEPART_DISTANCE_M": 1000,
}


def get(name):
    """A numeric tracking setting."""
    if has_app_context() and name in current_app.config:
        return current_app.config[name]
    return type(DEFAULTS[name])(os.environ.get(name, DEFAULTS[name]))

"""Tracking settings (TRACK_*, ROAD_FACTOR): defaults and meanings live in backend.config's table."""

from backend.config import setting


def get(name):
    """A tracking setting's value (app.config inside an app, where tests override it)."""
    return setting(name)

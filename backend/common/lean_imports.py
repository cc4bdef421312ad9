"""Two libraries loaded without work a Lambda container never uses (the entry, backend/wsgi.py).

- marshmallow.validate compiles the Email validator's patterns when it is imported: case-insensitive classes
  spanning all of Unicode, ~30 ms of a cold start (a third of what the app adds to bare flask + boto3), for a
  validator we never use. Patterns marshmallow compiles while it loads are made on their first use instead.
- flask-smorest imports PyYAML (~12 ms) only for its `flask openapi write --format yaml` command; it is loaded
  with PyYAML hidden, so that one command says to install PyYAML. Anything importing yaml later gets it.
Tests and tools import both libraries normally.
"""

import re
import sys
import threading

from backend.common.hmac_jwt import import_hiding

_compile = re.compile


class DeferredPattern:
    """A compiled pattern made on its first use (any attribute: match, search, pattern, flags...)."""

    __slots__ = ("_args", "_compiled", "_lock")

    def __init__(self, pattern, flags):
        self._args, self._compiled, self._lock = (pattern, flags), None, threading.Lock()

    def compiled(self):
        if self._compiled is None:
            with self._lock:
                if self._compiled is None:
                    self._compiled = _compile(*self._args)
        return self._compiled

    def __getattr__(self, name):
        if name.startswith("__"):  # the class being made asks its attributes (ABCMeta: __isabstractmethod__)
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self):
        return f"DeferredPattern({self._args[0]!r})"


def _deferring_compile(pattern, flags=0):
    caller = sys._getframe(1).f_globals.get("__name__", "")
    if caller.startswith("marshmallow") and isinstance(pattern, str):
        return DeferredPattern(pattern, flags)
    return _compile(pattern, flags)


def load_marshmallow():
    """Import marshmallow with the patterns it compiles at load deferred (no-op once it is loaded)."""
    if "marshmallow" in sys.modules:
        return
    re.compile = _deferring_compile
    try:
        import marshmallow.validate  # noqa: F401
    finally:
        re.compile = _compile


def load_smorest():
    """Import flask-smorest with PyYAML hidden (no-op once either is loaded)."""
    import_hiding("yaml", "flask_smorest")

"""Libraries loaded without work a Lambda container never uses (the entry, backend/wsgi.py and analytics/entry.py).

- marshmallow.validate compiles the Email validator's patterns when it is imported: case-insensitive classes
  spanning all of Unicode, ~30 ms of a cold start (a third of what the app adds to bare flask + boto3), for a
  validator we never use. Patterns marshmallow compiles while it loads are made on their first use instead.
- flask-smorest imports PyYAML (~12 ms) only for its `flask openapi write --format yaml` command; it is loaded
  with PyYAML hidden, so that one command says to install PyYAML. Anything importing yaml later gets it.
- Zappa's handler imports asyncio (for ASGI apps) and tarfile (for slim_handler's archive): ~15 ms of a cold
  start for neither of which a WSGI app without slim_handler calls. They are loaded on first attribute use.
Tests and tools import these libraries normally.
"""

import importlib
import importlib.util
import re
import sys
import threading
import types

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


class DeferredModule(types.ModuleType):
    """Stands in `sys.modules` for a module until code uses it: the first missing attribute loads the real one.

    importlib's LazyLoader would not do here: every later `import x` statement reads `x.__spec__`, which makes a
    LazyLoader module load at once. This one carries the real spec, so an import statement costs nothing.
    """

    def __getattr__(self, attribute):
        name = self.__name__
        with _defer_lock:
            if sys.modules.get(name) is self:
                del sys.modules[name]
                real = importlib.import_module(name)
                # Names bound to this stand-in (Zappa's handler's `asyncio`) see the real module's attributes.
                self.__dict__.update({k: v for k, v in vars(real).items() if k not in ("__name__", "__spec__")})
        return getattr(sys.modules[name], attribute)


_defer_lock = threading.RLock()


def defer_modules(*names):
    """Make each module (not yet imported) load on its first attribute use instead of at `import`.

    Returns the names deferred. `import x` of one then costs nothing; `x.anything` or `from x import y` loads it
    in full, so code that does use it is unaffected.
    """
    deferred = []
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        stand_in = DeferredModule(name)
        stand_in.__spec__ = spec
        stand_in.__file__ = spec.origin  # asked by tools listing modules; not __path__ (a submodule loads it)
        sys.modules[name] = stand_in
        deferred.append(name)
    return deferred

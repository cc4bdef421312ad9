"""Domain blueprints imported on the first request under their URL prefix, not while a container starts.

Importing every domain's routes (its schemas, services, stores and models) was the largest part of a Lambda
cold start, though a request needs one domain. create_app names each blueprint by prefix and import path
(`backend/app.py`, `_blueprints()`); the first request whose path falls under a prefix imports that module
and registers its blueprint through the Api, exactly as an eager start would. A blueprint's rules all start
with its prefix, so a path no prefix claims is answered by the routes already there (the PWA's files, the
OpenAPI document) as the full table would answer it. The OpenAPI document, the role matrix and the fuzzers
ask for `load_all()` first, and the document describes blueprints in the list's order whatever order requests
loaded them in.

Routing changes only under `lock`: while some blueprint is still unloaded, matching a request takes the lock
too, so a thread never matches against a route table that another thread is changing.
"""

import importlib
import re
import threading

from flask.ctx import RequestContext

_SLASHES = re.compile("/{2,}")  # werkzeug merges repeated slashes when it matches; so does the prefix check


class LazyRoutes:
    """The app's domain blueprints: (url_prefix, "module:attribute") in registration order."""

    def __init__(self, app, entries, register):
        self.app = app
        self.entries = list(entries)
        self.lock = threading.RLock()
        self._register = register
        self._pending = list(self.entries)
        self._positions = {}  # blueprint name -> its place in `entries`, filled as they load
        self._loading = threading.local()
        self.complete = not self._pending

    @property
    def loading(self):
        """True on the thread that is registering a blueprint (Flask's after-first-request guard stands down)."""
        return getattr(self._loading, "active", False)

    def load_for(self, path):
        """Make sure every blueprint whose prefix covers `path` is registered."""
        if self.complete:
            return
        path = _SLASHES.sub("/", path)
        self._load([entry for entry in self._pending if _under(path, entry[0])])

    def load_at_start(self, prefixes):
        """Load the blueprints under the comma-separated `prefixes` now ("all": every one; "": none).

        Work done while a Lambda container starts can happen before any request arrives (proactive or
        provisioned initialisation), work in the first request cannot: the paths a phone calls first load here.
        """
        if prefixes.strip() == "all":
            return self.load_all()
        for prefix in filter(None, (p.strip() for p in prefixes.split(","))):
            self.load_for(prefix)

    def load_all(self):
        """Register every blueprint not yet registered (the OpenAPI document and route listings need them all)."""
        if not self.complete:
            self._load(list(self._pending))

    def position(self, name):
        """A blueprint's place in the registration list (the OpenAPI document's order)."""
        self.load_all()
        return self._positions.get(name, len(self.entries))

    def _load(self, wanted):
        if not wanted:
            return
        with self.lock:
            self._loading.active = True
            try:
                for entry in wanted:
                    if entry in self._pending:
                        self._register_one(entry)
            finally:
                self._loading.active = False
            self.app.url_map.update()  # sorted now, under the lock, not by the next request's match
            self.complete = not self._pending

    def _register_one(self, entry):
        prefix, target = entry
        module_name, _, attribute = target.partition(":")
        blueprint = getattr(importlib.import_module(module_name), attribute)
        if blueprint.url_prefix != prefix:
            raise RuntimeError(f"{target} serves {blueprint.url_prefix}, registered under {prefix} (backend/app.py)")
        before = _app_wide_hooks(self.app)
        self._register(blueprint)
        _keep_app_wide_hooks(self.app, before, target)
        self._pending.remove(entry)
        self._positions[blueprint.name] = self.entries.index(entry)


# Hooks a blueprint may add for every request (before_app_request, ...). Loaded lazily, it would add them only
# once some request reached its prefix: create_app installs them at start, in the order an eager start had.
_APP_WIDE = ("before_request_funcs", "after_request_funcs", "teardown_request_funcs", "url_value_preprocessors")


def _app_wide_hooks(app):
    hooks = {name: list(getattr(app, name).get(None, ())) for name in _APP_WIDE}
    hooks["error_handler_spec"] = {code: dict(by_class) for code, by_class in app.error_handler_spec[None].items()}
    return hooks


def _keep_app_wide_hooks(app, before, target):
    """Drop the copy of a hook create_app already installed; refuse a new one (it would miss earlier requests)."""
    handlers = before.pop("error_handler_spec")
    if {code: dict(by_class) for code, by_class in app.error_handler_spec[None].items()} != handlers:
        raise RuntimeError(f"{target} adds app-wide error handlers: install them in create_app (backend/app.py)")
    for name, had in before.items():
        now = getattr(app, name).get(None, [])
        added = now[len(had) :]
        unknown = [f for f in added if f not in had]
        if unknown:
            raise RuntimeError(f"{target} adds app-wide {name} {unknown}: install them in create_app (backend/app.py)")
        del now[len(had) :]


def _under(path, prefix):
    return path == prefix or path.startswith(prefix + "/")


class LazyRequestContext(RequestContext):
    """Loads the blueprints a request's path needs just before Flask matches it to a route."""

    def match_request(self):
        routes = self.app.extensions.get("lazy_routes")
        if routes is None or routes.complete:
            return super().match_request()
        with routes.lock:
            routes.load_for(self.request.path)
            return super().match_request()


def load_all(app):
    """`app` with every blueprint registered (route listings: the role matrix, the fuzzers); returns the app."""
    app.extensions["lazy_routes"].load_all()
    return app

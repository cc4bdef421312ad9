"""Extensions created unbound; create_app init_app's them (keeps imports acyclic)."""

import os
import threading

import flask
import flask_smorest

from backend.common import openapi_errors
from backend.common.schemas import ErrorSchema
from backend.common.verified_tokens import CachingJWTManager

# Written into the Lambda package by scripts/package_lambda.sh (never into the source tree: .gitignore).
PREBUILT_OPENAPI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi.json")


class Api(flask_smorest.Api):
    """flask-smorest's Api, but the OpenAPI document is not built while the app starts.

    Describing ~100 operations (apispec walking every marshmallow schema) was a large part of a cold start,
    yet only /api/openapi.json needs it: the Lambda package serves the document built at package time,
    anywhere else it is built on its first request. Error replies are documented in our shape
    (backend/common/openapi_errors.py), and the docs page runs no inline script (the CSP forbids it).
    """

    ERROR_SCHEMA = ErrorSchema
    SECURITY_SCHEMES = {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "deviceHmac": {"type": "apiKey", "in": "header", "name": "X-Signature"},
    }
    _spec_args = None

    def init_app(self, app, *, spec_kwargs=None):
        self._undocumented = []
        self._document = None
        self._document_lock = threading.RLock()
        super().init_app(app, spec_kwargs=spec_kwargs)

    def _init_spec(self, **spec_kwargs):
        # The APISpec (its plugins, a response component per HTTP status, the security schemes) is made when the
        # document is first built, not while the app starts: only the document reads it.
        self._spec_args = spec_kwargs
        self._spec = None

    @property
    def spec(self):
        if self._spec is None and self._spec_args is not None:
            with self._document_lock:
                if self._spec is None:
                    super()._init_spec(**self._spec_args)  # assigns self.spec, then registers into it
                    for name, scheme in self.SECURITY_SCHEMES.items():
                        self._spec.components.security_scheme(name, scheme)
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, app=None, **options):
        """Route the blueprint now; describe it in the document when the document is first asked for.

        `app`: the app that asked (a lazily loaded blueprint may arrive after a later create_app re-bound us)."""
        app = app or self._app
        name = options.get("name", blp.name)
        app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        app.register_blueprint(blp, **options)
        if app is self._app:
            self._undocumented.append((blp, name, parameters))

    def spec_dict(self):
        """The whole OpenAPI document built from the code (every registered blueprint described once)."""
        with self._document_lock:
            routes = self._app.extensions.get("lazy_routes")
            if routes is not None:
                # Every domain is in the document, described in backend/app.py's order, not in the order
                # requests happened to load them (backend/common/lazy_routes.py).
                routes.load_all()
                self._undocumented.sort(key=lambda item: routes.position(item[1]))
            for blp, name, parameters in self._undocumented:
                blp.register_views_in_doc(self, self._app, self.spec, name=name, parameters=parameters)
                self.spec.tag({"name": name, "description": blp.description})
            self._undocumented = []
            refs = openapi_errors.register(self.spec)
            return openapi_errors.document(self.spec.to_dict(), self._app, refs)

    def openapi_json(self):
        """The document as served: the same bytes whether prebuilt or built here."""
        if self._document is None:
            self._document = flask.json.dumps(self.spec_dict(), indent=2, sort_keys=False)
        return self._document

    def _openapi_swagger_ui(self):
        from backend.web import swagger_page

        return swagger_page(self._swagger_ui_url)

    def _openapi_json(self):
        if os.path.exists(PREBUILT_OPENAPI):
            return flask.send_file(PREBUILT_OPENAPI, mimetype="application/json")
        return flask.current_app.response_class(self.openapi_json(), mimetype="application/json")


def write_openapi(path):
    """Build the app from the environment and write its OpenAPI document to `path` (the packaging step)."""
    from backend.app import create_app

    app = create_app()
    with app.app_context():
        document = api.openapi_json()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(document)


api = Api()
jwt = CachingJWTManager()  # each token's signature checked once per process (common/verified_tokens.py)

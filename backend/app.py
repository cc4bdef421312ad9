"""create_app(config): the one wiring point."""

from flask import Flask

from backend import db
from backend.common import edge, errors, idempotency, jwt_hooks, lazy_routes, request_context, security_headers
from backend.common.json_out import SafeJSONProvider
from backend.common.url_rules import LazyBuilderRule
from backend.config import Config
from backend.extensions import api, jwt

API_SETTINGS = {
    "API_TITLE": "Coal Haul API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/vendor/swagger-ui-dist/",
    "JWT_TOKEN_LOCATION": ["headers"],
    "JSON_AS_ASCII": False,
}


class _Flask(Flask):
    json_provider_class = SafeJSONProvider  # replies always encode (backend/common/json_out.py)
    url_rule_class = LazyBuilderRule  # URL builders compiled on first url_for (backend/common/url_rules.py)

    def request_context(self, environ):
        # Matching a request first registers the blueprints its path needs (backend/common/lazy_routes.py).
        return lazy_routes.LazyRequestContext(self, environ)

    def _check_setup_finished(self, f_name):
        # Flask refuses new routes once it has served a request; a lazily loaded blueprint is registered then,
        # under the routes' lock, with the same calls an eager start makes.
        routes = self.extensions.get("lazy_routes")
        if routes is None or not routes.loading:
            super()._check_setup_finished(f_name)


def _blueprints():
    """The API's blueprints as (url_prefix, "module:attribute"), in the order the OpenAPI document lists them.

    One line per blueprint. The module is imported on the first request under its prefix, not at start-up
    (backend/common/lazy_routes.py); the prefix must be the blueprint's own url_prefix (checked on load).
    """
    return [
        ("/api/auth", "backend.auth.routes:blp"),
        ("/api/admin", "backend.admin.routes:blp"),
        ("/api/fleet", "backend.accounts.routes:blp"),
        ("/api/devices", "backend.devices.routes:blp"),
        ("/api/catalogue", "backend.catalogue.routes:blp"),
        ("/api/sites", "backend.catalogue.site_routes:blp"),
        ("/api/waybills", "backend.waybills.routes:blp"),
        ("/api/tracking", "backend.tracking.routes:blp"),
        ("/api/orders", "backend.orders.routes:blp"),
        ("/api/hall", "backend.dispatch.hall_routes:hall_blp"),
        ("/api/dispatch", "backend.dispatch.routes:blp"),
        ("/api/gate", "backend.gate.routes:blp"),
        ("/api/alerts", "backend.alerts.routes:blp"),
        ("/api/analytics", "backend.analytics.routes:blp"),
        ("/api/receipts", "backend.receipts.routes:blp"),
        ("/api/regfeed", "backend.regfeed.routes:blp"),
        ("/api/appointments", "backend.appointments.routes:blp"),
        ("/api/appointments/push", "backend.notifications.routes:blp"),
        ("/api/inbox", "backend.notifications.routes:inbox_blp"),
        ("/api/webhooks", "backend.webhooks.routes:blp"),
        ("/api/geofences", "backend.geofences.routes:blp"),
        ("/api/ledger", "backend.ledger.routes:blp"),
        ("/api/payments", "backend.payments.routes:blp"),
        ("/api/places", "backend.places.routes:blp"),
        ("/api/settlement", "backend.settlement.routes:blp"),
        ("/api/trust", "backend.trust.routes:blp"),
    ]


def create_app(config=None, *, on_store_bound=None):
    """Build the Flask app for a Config (read from the environment when not given).

    `on_store_bound(app)` runs once the tables are bound, before the routes load: the container's start
    (backend/wsgi.py) begins its store work there, so its network waits overlap loading them."""
    config = config or Config()
    app = _Flask(__name__)
    app.config.update(API_SETTINGS)
    app.config.update(config.as_flask())
    app.json.ensure_ascii = False
    request_context.configure_logging(app.config["LOG_LEVEL"])

    db.configure_faults(config)  # before binding: a refused drill must not touch the shared client
    # The tables defined so far, and each one a domain defines later (backend/common/table_model.py): not
    # backend/tables.py, which would build every model while the container starts.
    db.bind_tables(host=config.DYNAMODB_HOST, region=config.AWS_REGION, prefix=config.TABLE_PREFIX)
    if on_store_bound is not None:
        on_store_bound(app)

    jwt.init_app(app)
    from backend.auth import service as auth_service

    jwt_hooks.install(jwt, auth_service.is_revoked, auth_service.is_access_revoked)
    api.init_app(app)  # its OpenAPI description is made when the document is first asked for (extensions.py)
    # A disabled account's token stops writing in every domain: first in line, as when auth's blueprint added it.
    from backend.auth import session_check

    app.before_request(session_check.watch_writes)
    app.extensions["lazy_routes"] = lazy_routes.LazyRoutes(
        app, _blueprints(), lambda blueprint: api.register_blueprint(blueprint, app=app)
    )
    app.extensions["lazy_routes"].load_at_start(config.ROUTES_AT_START)

    from backend.web import web

    app.register_blueprint(web)

    app.before_request(request_context.assign_request_id)
    # Bad input is refused before idempotency or a view sees it (backend/common/edge.py).
    app.before_request(edge.check_request)
    app.before_request(idempotency.before_write)
    edge.install(app)
    app.after_request(request_context.add_request_id)
    app.after_request(security_headers.add)
    # Registered last, so it runs first (Flask runs after-request hooks in reverse): a reply it puts in the view's
    # place (a replay, a 503) still gets the request id and the security headers, and the log its status.
    app.after_request(idempotency.after_write)
    app.teardown_request(idempotency.teardown_write)
    app.register_error_handler(errors.ApiError, errors.handle_api_error)
    app.register_error_handler(Exception, errors.handle_unexpected)
    # smorest registers its own HTTPException handler in init_app; ours replaces it.
    from werkzeug.exceptions import HTTPException

    app.register_error_handler(HTTPException, errors.handle_http_exception)
    return app

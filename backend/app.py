"""create_app(config): the one wiring point."""

from flask import Flask

from backend import db
from backend.common import edge, errors, idempotency, jwt_hooks, request_context, security_headers
from backend.common.json_out import SafeJSONProvider
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


def _blueprints():
    # Imported here, not at module top: blueprints import services, which import the app's pieces.
    from backend.accounts.routes import blp as accounts_blp
    from backend.admin.routes import blp as admin_blp
    from backend.alerts.routes import blp as alerts_blp
    from backend.analytics.routes import blp as analytics_blp
    from backend.appointments.routes import blp as appointments_blp
    from backend.auth.routes import blp as auth_blp
    from backend.catalogue.routes import blp as catalogue_blp
    from backend.catalogue.site_routes import blp as sites_blp
    from backend.devices.routes import blp as devices_blp
    from backend.dispatch.routes import blp as dispatch_blp
    from backend.dispatch.routes import hall_blp
    from backend.gate.routes import blp as gate_blp
    from backend.geofences.routes import blp as geofences_blp
    from backend.ledger.routes import blp as ledger_blp
    from backend.notifications.routes import blp as push_blp
    from backend.notifications.routes import inbox_blp
    from backend.orders.routes import blp as orders_blp
    from backend.payments.routes import blp as payments_blp
    from backend.places.routes import blp as places_blp
    from backend.receipts.routes import blp as receipts_blp
    from backend.regfeed.routes import blp as regfeed_blp
    from backend.settlement.routes import blp as settlement_blp
    from backend.tracking.routes import blp as tracking_blp
    from backend.trust.routes import blp as trust_blp
    from backend.waybills.routes import blp as waybills_blp
    from backend.webhooks.routes import blp as webhooks_blp

    return [
        auth_blp,
        admin_blp,
        accounts_blp,
        devices_blp,
        catalogue_blp,
        sites_blp,
        waybills_blp,
        tracking_blp,
        orders_blp,
        hall_blp,
        dispatch_blp,
        gate_blp,
        alerts_blp,
        analytics_blp,
        receipts_blp,
        regfeed_blp,
        appointments_blp,
        push_blp,
        inbox_blp,
        webhooks_blp,
        geofences_blp,
        ledger_blp,
        payments_blp,
        places_blp,
        settlement_blp,
        trust_blp,
    ]


def create_app(config=None):
    """Build the Flask app for a Config (read from the environment when not given)."""
    config = config or Config()
    app = _Flask(__name__)
    app.config.update(API_SETTINGS)
    app.config.update(config.as_flask())
    app.json.ensure_ascii = False
    request_context.configure_logging(app.config["LOG_LEVEL"])

    from backend.tables import ALL_MODELS

    db.configure_faults(config)  # before binding: a refused drill must not touch the shared client
    db.bind_models(ALL_MODELS, host=config.DYNAMODB_HOST, region=config.AWS_REGION, prefix=config.TABLE_PREFIX)

    jwt.init_app(app)
    from backend.auth import service as auth_service

    jwt_hooks.install(jwt, auth_service.is_revoked, auth_service.is_access_revoked)
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    api.spec.components.security_scheme("deviceHmac", {"type": "apiKey", "in": "header", "name": "X-Signature"})
    for blueprint in _blueprints():
        api.register_blueprint(blueprint)

    from backend.web import web

    app.register_blueprint(web)

    app.before_request(request_context.assign_request_id)
    # Bad input is refused before idempotency or a view sees it (backend/common/edge.py).
    app.before_request(edge.check_request)
    app.before_request(idempotency.before_write)
    app.after_request(idempotency.after_write)
    edge.install(app)
    app.after_request(request_context.add_request_id)
    app.after_request(security_headers.add)
    app.teardown_request(idempotency.teardown_write)
    app.register_error_handler(errors.ApiError, errors.handle_api_error)
    app.register_error_handler(Exception, errors.handle_unexpected)
    # smorest registers its own HTTPException handler in init_app; ours replaces it.
    from werkzeug.exceptions import HTTPException

    app.register_error_handler(HTTPException, errors.handle_http_exception)
    return app

"""flask-jwt-extended callbacks: the blocklist lookup and 401s in our error shape."""

from flask import request

from backend.common.errors import error_response


def install(jwt, is_revoked, is_access_revoked):
    @jwt.token_in_blocklist_loader
    def _revoked(_header, payload):
        # Refresh tokens are looked up. Access tokens live JWT_ACCESS_MINUTES (10 by default) and are checked
        # against the process's copy of recent session cut-offs (backend/auth/revocations.py), refreshed every
        # REVOCATION_POLL_SECONDS: no per-request read, and a disabled account's token stops within that bound.
        if payload.get("type") != "refresh":
            return is_access_revoked(payload)
        # The token is verified twice on a write (idempotency scope, then the view): read the blocklist once.
        seen = request.environ.setdefault("coalhaul.revoked_jtis", {})  # per request, never across requests
        if payload["jti"] not in seen:
            seen[payload["jti"]] = is_revoked(payload["jti"])
        return seen[payload["jti"]]

    @jwt.unauthorized_loader
    def _missing(reason):
        return error_response("unauthorized", "sign in required", 401)

    @jwt.invalid_token_loader
    def _invalid(reason):
        return error_response("invalid_token", "the token is not valid", 401)

    @jwt.expired_token_loader
    def _expired(_header, _payload):
        return error_response("token_expired", "the token has expired; refresh it", 401)

    @jwt.revoked_token_loader
    def _revoked_reply(_header, _payload):
        return error_response("token_revoked", "the token was revoked; sign in again", 401)

    @jwt.user_lookup_error_loader
    def _lookup(_header, _payload):
        return error_response("unauthorized", "unknown user", 401)

"""Who may call what: every API view declares its audience, and the role matrix test reads it."""

from dataclasses import dataclass
from functools import wraps

from flask import g, request
from flask_jwt_extended import get_jwt, verify_jwt_in_request

from backend.common.errors import ApiError

# Set when this request's access token was already verified (the idempotency scope does it first on
# writes): decoding a JWT costs about a millisecond, once is enough. Per request, in the WSGI environ.
ACCESS_VERIFIED = "coalhaul.access_verified"

ROLES = ("driver", "carrier", "shipper", "buyer", "gate", "dispatcher", "admin")


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the access token describes them."""

    user_id: str
    role: str
    org_id: str | None = None
    mine_id: str | None = None


def current_principal():
    return g.principal


def roles_required(*roles):
    """Allow signed-in users whose role is one of `roles` (403 otherwise, 401 without a token)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not request.environ.get(ACCESS_VERIFIED):
                verify_jwt_in_request()
            claims = get_jwt()
            if claims.get("role") not in roles:
                raise ApiError(
                    "forbidden_role",
                    "this action is not open to your role",
                    status=403,
                    details={"allowed_roles": list(roles)},
                )
            g.principal = Principal(claims["sub"], claims["role"], claims.get("org_id"), claims.get("mine_id"))
            return view(*args, **kwargs)

        wrapper.access = {"roles": tuple(roles)}
        _document_security(wrapper, "bearerAuth")
        return wrapper

    return decorate


def _document_security(view, scheme):
    """Mark the operation in the OpenAPI document (flask-smorest reads `_apidoc`)."""
    apidoc = dict(getattr(view, "_apidoc", {}))
    manual = dict(apidoc.get("manual_doc", {}))
    manual["security"] = [{scheme: []}]
    apidoc["manual_doc"] = manual
    view._apidoc = apidoc


def signed_in(view):
    """Any signed-in role."""
    return roles_required(*ROLES)(view)


def public(view):
    """No authentication (login, register, health)."""
    view.access = {"public": True}
    return view


def require_org(principal, org_id):
    """Tenancy: a company user acts only inside their own organisation."""
    if principal.role in ("admin", "dispatcher"):
        return
    if not principal.org_id or principal.org_id != org_id:
        raise ApiError("forbidden_tenant", "this record belongs to another organisation", status=403)

"""The refresh token's cookie and the CSRF guard of the two endpoints that read it.

The refresh token lives only in an HttpOnly cookie (script on the page cannot read it), Secure when the request
came over TLS, SameSite=Strict and scoped to /api/auth, so it is sent to refresh and logout and nowhere else.
CSRF: SameSite=Strict keeps other sites' requests from carrying it, and refresh/logout also require
`X-Requested-With: coalhaul` (a page elsewhere cannot add a custom header without a CORS preflight, which
this API never grants) and refuse an Origin or Sec-Fetch-Site that says another site sent the request.
flask-jwt-extended's double-submit JWT_COOKIE_CSRF_PROTECT would need a second, script-readable cookie for a
token the PWA never handles; the header check gives the same protection without it.
"""

from flask import after_this_request, request

from backend.common.errors import ApiError

NAME = "ch_refresh"
CSRF_HEADER = "X-Requested-With"
CSRF_VALUE = "coalhaul"


def _path():
    return (request.script_root or "") + "/api/auth"


def read():
    """The refresh token the browser sent, or None."""
    return request.cookies.get(NAME)


def put(token, *, max_age_s):
    """Set the refresh cookie on this request's response."""

    @after_this_request
    def _set(response):
        response.set_cookie(
            NAME,
            token,
            max_age=max_age_s,
            path=_path(),
            secure=request.is_secure,
            httponly=True,
            samesite="Strict",
        )
        return response


def drop():
    """Delete the refresh cookie on this request's response."""

    @after_this_request
    def _clear(response):
        response.delete_cookie(NAME, path=_path(), secure=request.is_secure, httponly=True, samesite="Strict")
        return response


def check_same_origin():
    """403 unless the request came from this app's own pages (see the module docstring)."""
    own = f"{request.scheme}://{request.host}"
    origin = request.headers.get("Origin")
    site = request.headers.get("Sec-Fetch-Site")
    if (
        request.headers.get(CSRF_HEADER) != CSRF_VALUE
        or (origin and origin != own)
        or site in ("cross-site", "same-site")
    ):
        raise ApiError("csrf_refused", f"send {CSRF_HEADER}: {CSRF_VALUE} from this app's own pages", status=403)

"""Security headers on every reply: a strict CSP for the PWA, no sniffing, no framing, HSTS over TLS."""

from flask import request

# The PWA is plain ES modules from our own origin: no inline script or style attribute, no eval.
# img-src allows https: because the map's tile server is chosen per device (ui/map.js, 'ch.tiles');
# data:/blob: are Leaflet's icons and the signature/photo previews.
PWA_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob: https:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Swagger UI sets style attributes from its bundle and shows data: images; its start-up script is a file.
DOCS_POLICY = PWA_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HSTS = "max-age=31536000; includeSubDomains"


def _over_tls():
    # API Gateway terminates TLS and forwards plain HTTP with X-Forwarded-Proto.
    return request.is_secure or request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip() == "https"


def add(response):
    """after_request: the same headers on the shell, the API and the errors."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", DOCS_POLICY if request.path == "/api/docs" else PWA_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if _over_tls():
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response

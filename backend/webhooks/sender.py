"""One webhook POST: urllib without redirects (a receiver cannot bounce our request elsewhere), short timeout."""

import functools
import ipaddress
from urllib.parse import urlsplit

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def url_allowed(url, *, allow_loopback_http):
    """https to a public name or address; http only to loopback when the settings allow it (local run, tests)."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if parts.scheme == "http":
        return bool(allow_loopback_http) and host in LOOPBACK_HOSTS
    if parts.scheme != "https" or not host or host in LOOPBACK_HOSTS:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return address.is_global  # no private, link-local or metadata addresses: the function's own network


@functools.cache
def _opener():
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(NoRedirect)


def post(url, body, headers, *, timeout_s):
    """(HTTP status or None, error text or None)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with _opener().open(request, timeout=timeout_s) as reply:
            return reply.status, None
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, "reason", error))[:200]

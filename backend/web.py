"""Serves the PWA shell and its npm-installed libraries from the same origin as the API."""

import gzip
import hashlib
import os

from flask import Blueprint, abort, current_app, request, send_from_directory

# The repository (or the unzipped package) root: pwa/ and node_modules/ sit there.
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

web = Blueprint("web", __name__)
# Only these npm packages are reachable under /vendor/, never the rest of node_modules.
VENDOR_PACKAGES = {"leaflet", "leaflet.markercluster", "idb", "qrcode", "swagger-ui-dist"}
VERSION_LINE = "const VERSION = 'v1';"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/manifest+json", "image/svg+xml")
_sw_cache = {}


def _pwa_dir():
    return current_app.config.get("PWA_DIR") or os.path.join(REPO_ROOT, "pwa")


def _vendor_dir():
    return current_app.config.get("VENDOR_DIR") or os.path.join(REPO_ROOT, "node_modules")


def _no_cache(response):
    # The service worker decides freshness; the HTTP cache must not pin an old shell.
    response.headers["Cache-Control"] = "no-cache"
    return response


def _gzip(response):
    """Compress text replies for phones on slow links (Flask does not by itself)."""
    mimetype = response.mimetype or ""
    if (
        "gzip" not in request.headers.get("Accept-Encoding", "")
        or response.status_code != 200
        or not mimetype.startswith(COMPRESSIBLE)
        or "Content-Encoding" in response.headers
    ):
        return response
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < 1024:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.headers.add("Vary", "Accept-Encoding")
    response.headers.pop("Accept-Ranges", None)
    return response


def _shell_fingerprint(pwa_dir):
    """A hash of every shell file's bytes: any change makes a new sw.js, hence an update prompt."""
    paths = sorted(os.path.join(root, name) for root, _, names in os.walk(pwa_dir) for name in names)
    stamp = tuple((path, os.stat(path).st_mtime_ns) for path in paths)
    if _sw_cache.get("stamp") != stamp:
        digest = hashlib.sha256()
        for path in paths:
            digest.update(os.path.relpath(path, pwa_dir).encode())
            with open(path, "rb") as handle:
                digest.update(handle.read())
        _sw_cache.update(stamp=stamp, fingerprint=digest.hexdigest()[:12])
    return _sw_cache["fingerprint"]


def _service_worker():
    pwa_dir = _pwa_dir()
    with open(os.path.join(pwa_dir, "sw.js"), encoding="utf-8") as handle:
        source = handle.read()
    versioned = source.replace(VERSION_LINE, f"const VERSION = 'v1-{_shell_fingerprint(pwa_dir)}';", 1)
    response = current_app.response_class(versioned, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@web.route("/")
def index():
    return _gzip(_no_cache(send_from_directory(_pwa_dir(), "index.html")))


@web.route("/vendor/<package>/<path:filename>")
def vendor(package, filename):
    if package not in VENDOR_PACKAGES:
        abort(404)
    return _gzip(send_from_directory(os.path.join(_vendor_dir(), package), filename, max_age=86400))


@web.route("/<path:filename>")
def shell_file(filename):
    if filename.startswith("api/"):
        abort(404)
    if filename == "sw.js":
        return _gzip(_no_cache(_service_worker()))
    return _gzip(_no_cache(send_from_directory(_pwa_dir(), filename)))


SWAGGER_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Coal Haul API</title>
<link href="{url}swagger-ui.css" rel="stylesheet"></head>
<body><div id="swagger-ui-container"></div>
<script src="{url}swagger-ui-bundle.js"></script>
<script src="/swagger-init.js"></script>
</body></html>
"""
# The page's start-up as a file: the Content-Security-Policy allows no inline script.
SWAGGER_INIT = "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui-container' });\n"


def swagger_page(swagger_ui_url):
    """/api/docs: Swagger UI from /vendor/, started by /swagger-init.js."""
    return current_app.response_class(SWAGGER_PAGE.format(url=swagger_ui_url), mimetype="text/html")


@web.route("/swagger-init.js")
def swagger_init():
    return _no_cache(current_app.response_class(SWAGGER_INIT, mimetype="text/javascript"))

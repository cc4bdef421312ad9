"""Serves the PWA shell and its npm-installed libraries from the same origin as the API."""
import os

from flask import Blueprint, abort, current_app, send_from_directory

from backend.localstore.dynamodb_local import REPO_ROOT

web = Blueprint("web", __name__)
# Only these npm packages are reachable under /vendor/, never the rest of node_modules.
VENDOR_PACKAGES = {"leaflet", "leaflet.markercluster", "idb", "qrcode", "swagger-ui-dist"}


def _pwa_dir():
    return current_app.config.get("PWA_DIR") or os.path.join(REPO_ROOT, "pwa")


def _vendor_dir():
    return current_app.config.get("VENDOR_DIR") or os.path.join(REPO_ROOT, "node_modules")


def _no_cache(response):
    # The service worker decides freshness; the HTTP cache must not pin an old shell.
    response.headers["Cache-Control"] = "no-cache"
    return response


@web.route("/")
def index():
    return _no_cache(send_from_directory(_pwa_dir(), "index.html"))


@web.route("/vendor/<package>/<path:filename>")
def vendor(package, filename):
    if package not in VENDOR_PACKAGES:
        abort(404)
    return send_from_directory(os.path.join(_vendor_dir(), package), filename, max_age=86400)


@web.route("/<path:filename>")
def shell_file(filename):
    if filename.startswith("api/"):
        abort(404)
    response = send_from_directory(_pwa_dir(), filename)
    if filename == "sw.js":
        response.headers["Service-Worker-Allowed"] = "/"
    return _no_cache(response)

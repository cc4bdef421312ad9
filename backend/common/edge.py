"""The request edge: every body, query string, path parameter and read header checked once, before any view.

`check_request` (a before_request hook, first in line) refuses oversized or too-deep JSON before it is
parsed, parses it once with number limits, cleans every string (backend/common/text.py) and hands the
cleaned body to the argument parser; query strings and path parameters get the same cleaning. So every
endpoint, present or future, gets it without its schema knowing.
"""

import json

import flask_smorest
from flask import request
from marshmallow import fields
from werkzeug.datastructures import ImmutableMultiDict

from backend.common import text
from backend.common.errors import ApiError, field_error
from backend.config import setting

_BODY = "coalhaul.edge_json"
MAX_QUERY_CHARS = 2048  # a cursor is the longest query value
MAX_PATH_CHARS = 256  # receipt file keys are paths; ids are held to text.MAX_ID_CHARS
MAX_HEADER_CHARS = 128
MAX_ATTEMPT_DIGITS = 6


def _too_large(limit):
    return ApiError("payload_too_large", f"request body over {limit} bytes", status=413)


def _check_json_body():
    limit = setting("MAX_JSON_BYTES")
    if (request.content_length or 0) > limit:
        raise _too_large(limit)
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise _too_large(limit)
    if not raw.strip():
        return
    if text.exceeds_depth(raw, setting("MAX_JSON_DEPTH")):
        raise field_error("body", f"JSON nested deeper than {setting('MAX_JSON_DEPTH')} levels")
    try:
        body = json.loads(raw.decode("utf-8"), parse_int=text.parse_int)
    except (ValueError, UnicodeDecodeError) as error:
        raise field_error("body", f"not valid JSON ({error.__class__.__name__})") from None
    request.environ[_BODY] = text.clean_json(body)


def _clean_query():
    cleaned, changed = [], False
    for name, value in request.args.items(multi=True):
        new = text.clean_text(value, name, max_chars=MAX_QUERY_CHARS)
        cleaned.append((name, new))
        changed = changed or new != value
    if changed:
        # Werkzeug caches `args` per request; the parsed, NFC form is what every reader sees from now on.
        request.__dict__["args"] = ImmutableMultiDict(cleaned)


def _clean_path():
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            request.view_args[name] = text.clean_text(value, name, max_chars=MAX_PATH_CHARS)


def _check_headers():
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        text.clean_text(key, "Idempotency-Key", max_chars=MAX_HEADER_CHARS)
        if not key.strip() or not key.isascii() or not key.isprintable():
            raise field_error("Idempotency-Key", f"1 to {MAX_HEADER_CHARS} printable ASCII characters")
    attempt = request.headers.get("Idempotency-Attempt")
    if attempt is not None:
        attempt = attempt.strip()
        if not (attempt.isascii() and attempt.isdigit() and len(attempt) <= MAX_ATTEMPT_DIGITS and int(attempt) >= 1):
            raise field_error("Idempotency-Attempt", "a whole number from 1: how many times this key has been sent")


def check_request():
    """before_request: refuse what no endpoint should see; leave the cleaned body for the argument parser."""
    _check_headers()
    _clean_path()
    _clean_query()
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.is_json:
        _check_json_body()


def _load_json(req, schema):
    """webargs' json location: the body the edge cleaned (parsed once, NFC), else webargs' own parsing."""
    if _BODY in req.environ:
        return req.environ[_BODY]
    return flask_smorest.Blueprint.ARGUMENTS_PARSER.load_json(req, schema)


def _integer_without_truncation(validated):
    def check(self, value):
        # marshmallow's Integer casts 1.5 to 1: a client's fraction would be silently dropped.
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return validated(self, value)

    check.refuses_fractions = True
    return check


def install(app):
    """The body limit for an app, and the process-wide argument parsing (create_app registers check_request)."""
    app.config["MAX_CONTENT_LENGTH"] = setting("MAX_REQUEST_BYTES")
    parser = flask_smorest.Blueprint.ARGUMENTS_PARSER
    parser.location_loader("json")(_load_json)
    if not getattr(fields.Integer._validated, "refuses_fractions", False):
        fields.Integer._validated = _integer_without_truncation(fields.Integer._validated)

"""The one JSON error shape of DESIGN.md, and the domain error every service raises."""

from flask import g, jsonify
from werkzeug.exceptions import HTTPException

from backend.common import field_problems

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """A failure a client can act on: code, human message, HTTP status and details."""

    status = 400

    def __init__(self, code, message, *, status=None, details=None, headers=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or self.status
        self.details = details or {}
        self.headers = headers or {}


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class Forbidden(ApiError):
    status = 403


def field_error(field, message, *, code="validation_error", why=None, **limits):
    """A 400 that names the offending field; details.problems carries why (a code) and limits for the client's words."""
    problem = {"code": why, **limits} if why else field_problems.classify(message)
    details = {"fields": {field: [message]}, "problems": [{"field": field, **problem}]}
    return ApiError(code, f"{field}: {message}", details=details)


def error_body(code, message, details=None):
    """The error envelope shared by every failure."""
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    request_id = getattr(g, "request_id", None)
    if request_id:
        body["error"]["request_id"] = request_id
    return body


def error_response(code, message, status, details=None, headers=None):
    response = jsonify(error_body(code, message, details))
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


class Replayed(ApiError):
    """Not a failure: the stored reply of an earlier request with the same Idempotency-Key, returned again."""

    def __init__(self, response):
        super().__init__("replayed", "replayed", status=response.status_code)
        self.response = response


def handle_api_error(error):
    if isinstance(error, Replayed):
        return error.response
    return error_response(error.code, error.message, error.status, error.details, error.headers)


def handle_http_exception(error):
    """Werkzeug/smorest aborts, including marshmallow validation failures, in our shape."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages:
        # webargs nests by location ("json", "query"); clients only need the field names.
        fields = {}
        for location_errors in messages.values():
            if isinstance(location_errors, dict):
                fields.update(location_errors)
        names = ", ".join(sorted(fields)) or "request"
        details = {"fields": fields, "problems": field_problems.problems(fields)}
        return error_response("validation_error", f"invalid fields: {names}", 400, details)
    code = HTTP_CODES.get(status, "error")
    # A 405 must say which methods the path takes (RFC 9110); werkzeug's own headers carry Allow.
    headers = {k: v for k, v in error.get_headers() if k == "Allow"}
    return error_response(code, error.description or code, status, headers=headers)


def handle_unexpected(error):
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    import logging

    from backend.common import store_faults

    fault = store_faults.classify(error)
    if fault == store_faults.UNAVAILABLE:
        # DynamoDB unreachable or throttling after botocore's retries: the client should retry, not report a bug.
        logging.getLogger("coalhaul").warning("store unavailable: %s", error)
        return error_response(
            "unavailable", "the store is busy or unreachable; retry shortly", 503, headers=store_faults.retry_after()
        )
    if fault == store_faults.INVALID:
        # A value DynamoDB refuses (a key over 2 KB, an empty key) that the edge did not catch: still the input's fault.
        logging.getLogger("coalhaul").warning("store refused a value: %s", error)
        return error_response("validation_error", "a value is out of the range the store accepts", 400)
    logging.getLogger("coalhaul").exception("unhandled error")
    return error_response("internal_error", "internal error", 500)

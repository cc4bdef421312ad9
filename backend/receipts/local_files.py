"""The local stand-in's signed PUT and GET: the same checks S3 makes on a presigned upload."""

import hmac

from flask import request, send_file

from backend.common.errors import ApiError, NotFound
from backend.receipts.storage import LocalStorage, storage


def _local():
    files = storage()
    if not isinstance(files, LocalStorage):
        raise NotFound("not_found", "files live in S3")
    return files


def _check(files, expected, given, expires, now_ms):
    if not given or not hmac.compare_digest(expected, given):
        raise ApiError("bad_signature", "the upload link is not valid", status=403)
    if now_ms > expires:
        raise ApiError("link_expired", "the upload link has expired", status=403)


def put_file(*, key, now_ms):
    """Store an upload if its signature, expiry, content type and size all hold."""
    files, args = _local(), request.args
    try:
        expires, max_bytes = int(args.get("expires", "")), int(args.get("max", ""))
    except ValueError:
        raise ApiError("bad_signature", "the upload link is not valid", status=403) from None
    content_type = request.headers.get("Content-Type", "")
    _check(files, files.signature("PUT", key, content_type, max_bytes, expires), args.get("sig"), expires, now_ms)
    length = request.content_length
    if length is None or length > max_bytes or length == 0:
        raise ApiError(
            "payload_too_large",
            f"between 1 and {max_bytes} bytes",
            status=413,
            details={"fields": {"body": [f"at most {max_bytes} bytes"]}},
        )
    data = request.stream.read(max_bytes + 1)
    if len(data) != length:
        raise ApiError(
            "validation_error", "the body does not match Content-Length", details={"fields": {"body": ["truncated"]}}
        )
    files.save(key, data)
    return {"key": key, "size_bytes": length}


def get_file(*, key, now_ms):
    files, args = _local(), request.args
    try:
        expires = int(args.get("expires", ""))
    except ValueError:
        raise ApiError("bad_signature", "the link is not valid", status=403) from None
    _check(files, files.signature("GET", key, expires), args.get("sig"), expires, now_ms)
    if not files.exists(key):
        raise NotFound("file_not_found", "no such file")
    return send_file(files.path(key))

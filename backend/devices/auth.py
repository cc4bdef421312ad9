"""The @device_required decorator for endpoints that gate devices call."""

from functools import wraps

from flask import current_app, g, request

from backend.common.access import _document_security
from backend.common.clock import now_ms
from backend.common.errors import ApiError
from backend.devices import service


def device_required(*kinds):
    """Authenticate the HMAC-signed request and require one of the device kinds."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            headers, cfg = request.headers, current_app.config
            device = service.authenticate(
                device_id=headers.get("X-Device-Id"),
                timestamp=headers.get("X-Timestamp"),
                signature=headers.get("X-Signature"),
                method=request.method,
                path=request.path,
                body=request.get_data(cache=True),
                master_key=cfg["DEVICE_MASTER_KEY"],
                max_skew_ms=cfg["DEVICE_MAX_SKEW_MS"],
                now_ms=now_ms(),
            )
            if kinds and device.kind not in kinds:
                raise ApiError("forbidden_device", f"this endpoint is for {', '.join(kinds)} devices", status=403)
            g.device = device
            return view(*args, **kwargs)

        wrapper.access = {"device": tuple(kinds)}
        _document_security(wrapper, "deviceHmac")
        return wrapper

    return decorate

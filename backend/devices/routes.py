"""Endpoints devices call themselves."""

from flask import g

from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.devices import store
from backend.devices.auth import device_required
from backend.devices.schemas import DeviceSchema

blp = Blueprint("devices", __name__, url_prefix="/api/devices", description="Device-authenticated endpoints")


@blp.route("/heartbeat", methods=["POST"])
@device_required()
@blp.response(200, DeviceSchema)
def heartbeat():
    """A device says it is alive; the gate screen shows when each was last seen."""
    at = now_ms()
    store.touch(g.device.device_id, at)
    g.device.last_seen_at = at
    return g.device

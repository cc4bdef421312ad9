"""Device records."""

from pynamodb.exceptions import DoesNotExist

from backend.devices.models import Device


def save_device(device):
    device.save(condition=Device.device_id.does_not_exist())
    return device


def get_device(device_id):
    try:
        return Device.get(device_id)
    except DoesNotExist:
        return None


def list_devices(kinds):
    """Devices of the given kinds, through the by_kind index."""
    return [device for kind in kinds for device in Device.by_kind.query(kind)]


def touch(device_id, now_ms):
    Device(device_id).update(actions=[Device.last_seen_at.set(now_ms)])


def site_devices(mine_id):
    """A site's devices, through the by_mine index."""
    return list(Device.by_mine.query(mine_id))


def revoke(device, *, salt, now_ms):
    """Mark a device revoked and rotate its salt (its old key can never sign again), only if it still exists."""
    device.update(
        actions=[Device.status.set("revoked"), Device.key_salt.set(salt), Device.revoked_at.set(now_ms)],
        condition=Device.device_id.exists(),
    )
    return device

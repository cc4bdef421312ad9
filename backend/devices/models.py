"""Gate cameras, weighbridges and QR scanners."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class DevicesByKind(GlobalSecondaryIndex):
    """Devices of one kind, so the admin list never scans."""

    class Meta:
        index_name = "by_kind"
        projection = AllProjection()

    kind = UnicodeAttribute(hash_key=True)
    device_id = UnicodeAttribute(range_key=True)


class DevicesByMine(GlobalSecondaryIndex):
    """A site's devices, so its gate staff list only theirs (sparse: a GPS gateway belongs to no site)."""

    class Meta:
        index_name = "by_mine"
        projection = AllProjection()

    mine_id = UnicodeAttribute(hash_key=True)
    device_id = UnicodeAttribute(range_key=True)


class Device(Model):
    """A device at a mine gate; its HMAC key is derived from a master key, never stored."""

    class Meta:
        table_name = "devices"

    device_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # camera | weighbridge | qr_scanner | gps_gateway
    mine_id = UnicodeAttribute(null=True)
    lane_id = UnicodeAttribute(null=True)  # the site's gate lane it stands on (None: older records, GPS gateways)
    name = UnicodeAttribute()
    key_salt = UnicodeAttribute()  # rotating it revokes the old key
    status = UnicodeAttribute(default="active")
    last_seen_at = NumberAttribute(null=True)
    revoked_at = NumberAttribute(null=True)  # revoked (stolen, replaced): its requests are refused from then on
    created_at = NumberAttribute()
    by_kind = DevicesByKind()
    by_mine = DevicesByMine()

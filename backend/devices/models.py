"""Gate cameras, weighbridges and QR scanners."""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model


class Device(Model):
    """A device at a mine gate; its HMAC key is derived from a master key, never stored."""

    class Meta:
        table_name = "devices"

    device_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # camera | weighbridge | qr_scanner | gps_gateway
    mine_id = UnicodeAttribute(null=True)
    name = UnicodeAttribute()
    key_salt = UnicodeAttribute()  # rotating it revokes the old key
    status = UnicodeAttribute(default="active")
    last_seen_at = NumberAttribute(null=True)
    created_at = NumberAttribute()

"""Organisations (carrier and shipper companies) and vehicles."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class OrgsByKind(GlobalSecondaryIndex):
    """Companies of one kind, so listing them never scans."""

    class Meta:
        index_name = "by_kind"
        projection = AllProjection()

    kind = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute(range_key=True)


class Organisation(Model):
    """A company: a carrier owns vehicles and drivers, a shipper owns orders."""

    class Meta:
        table_name = "organisations"

    org_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # carrier | shipper
    name = UnicodeAttribute()
    credit_code = UnicodeAttribute(null=True)  # 统一社会信用代码
    created_at = NumberAttribute()
    by_kind = OrgsByKind()


class VehiclesByCarrier(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_carrier"
        projection = AllProjection()

    carrier_id = UnicodeAttribute(hash_key=True)
    plate = UnicodeAttribute(range_key=True)


class Vehicle(Model):
    """A truck, unique platform-wide by plate."""

    class Meta:
        table_name = "vehicles"

    vehicle_id = UnicodeAttribute(hash_key=True)
    carrier_id = UnicodeAttribute()
    plate = UnicodeAttribute()
    plate_color = UnicodeAttribute()
    axles = NumberAttribute()
    tare_kg = NumberAttribute()
    rated_load_kg = NumberAttribute()
    terminal_id = UnicodeAttribute(null=True)  # GPS / Beidou terminal
    vehicle_type = UnicodeAttribute(default="tractor_trailer")
    body_color = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="active")  # active | blocked
    block_reason = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    by_carrier = VehiclesByCarrier()

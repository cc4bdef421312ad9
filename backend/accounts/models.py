"""Organisations (carrier and shipper companies) and vehicles."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


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
    business_permit_no = UnicodeAttribute(null=True)  # 道路运输经营许可证 (carriers)
    business_permit_expires = UnicodeAttribute(null=True)  # YYYY-MM-DD, valid through that day
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
    # Certificates (accounts/certificates.py): a heavy truck without valid ones is not dispatched.
    vin = UnicodeAttribute(null=True)  # 车辆识别代号, check digit verified
    energy_type = UnicodeAttribute(null=True)  # ministry code: B diesel, E natural gas, C electric ...
    gross_mass_kg = NumberAttribute(null=True)  # 总质量 on the licence; else tare + rated load
    transport_cert_no = UnicodeAttribute(null=True)  # 道路运输证号
    transport_cert_expires = UnicodeAttribute(null=True)  # YYYY-MM-DD, valid through that day
    cert_warned = UnicodeAttribute(null=True)  # the expiry last announced (one reminder per renewal)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    by_carrier = VehiclesByCarrier()


class CredentialsByCarrier(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_carrier"
        projection = AllProjection()

    carrier_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)


class DriverCredential(Model):
    """A driver's papers: ID number, driving licence and 从业资格证 (read in the dispatch's batch)."""

    class Meta:
        table_name = "driver_credentials"

    user_id = UnicodeAttribute(hash_key=True)
    carrier_id = UnicodeAttribute()
    id_number = UnicodeAttribute()  # GB 11643, check character verified
    licence_class = UnicodeAttribute()  # A2 (tractor-trailer), B2 (heavy truck) ...
    licence_valid_until = UnicodeAttribute()  # YYYY-MM-DD
    qualification_no = UnicodeAttribute()  # 从业资格证号
    qualification_expires = UnicodeAttribute()  # YYYY-MM-DD
    cert_warned = UnicodeAttribute(null=True)
    updated_at = NumberAttribute()
    by_carrier = CredentialsByCarrier()

"""Users and revoked tokens."""

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class UsersByOrg(GlobalSecondaryIndex):
    """A company's people (a carrier's drivers, a shipper's staff)."""

    class Meta:
        index_name = "by_org"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)


class User(Model):
    """Anyone who signs in: driver, carrier, shipper, buyer, gate, dispatcher, admin."""

    class Meta:
        table_name = "users"

    user_id = UnicodeAttribute(hash_key=True)
    phone = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    org_id = UnicodeAttribute(null=True)
    mine_id = UnicodeAttribute(null=True)  # gate / mine staff work at one mine
    license_no = UnicodeAttribute(null=True)  # drivers
    status = UnicodeAttribute(default="active")  # active | disabled
    no_shows = NumberAttribute(default=0)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    by_org = UsersByOrg()


class RevokedToken(Model):
    """The logout blocklist: a token's jti until the token would have expired anyway."""

    class Meta:
        table_name = "revoked_tokens"

    jti = UnicodeAttribute(hash_key=True)
    expires_at = TTLAttribute()

"""Users, refresh-token families, SMS one-time codes and sign-in backoff."""

from pynamodb.attributes import BooleanAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


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
    # Refresh tokens issued before this (epoch ms) are dead: set on disable and on a password reset.
    tokens_after = NumberAttribute(null=True)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    by_org = UsersByOrg()


class TokenFamily(Model):
    """One sign-in on one device: its refresh tokens rotate, and only the newest (current_jti) may refresh."""

    class Meta:
        table_name = "token_families"

    family_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    current_jti = UnicodeAttribute()
    # The token the last rotation replaced, and when: the same device may present it once more within a
    # short grace (a page reloaded mid-refresh, two tabs at once) without being taken for a thief.
    previous_jti = UnicodeAttribute(null=True)
    rotated_at = NumberAttribute(null=True)
    revoked = BooleanAttribute(default=False)  # signed out, or an old token was replayed (theft)
    created_at = NumberAttribute()
    expires_at = TTLAttribute()


class SessionCutoff(Model):
    """A recent "sessions of this user end now" (disable, password reset), read by every container's access check.

    All in one partition, sorted by time: a container asks for the cut-offs newer than an access token can
    live, so the read costs what the last few minutes' revocations cost, never the history.
    """

    class Meta:
        table_name = "session_cutoffs"

    bucket = UnicodeAttribute(hash_key=True)  # always RECENT: cut-offs are rare, one partition holds them
    at_user = UnicodeAttribute(range_key=True)  # <tokens_after, 13 digits>#<user_id>
    user_id = UnicodeAttribute()
    tokens_after = NumberAttribute()
    expires_at = TTLAttribute()


class OneTimeCode(Model):
    """The SMS code last sent for a purpose to a phone: only its keyed hash is kept, and how often it was tried."""

    class Meta:
        table_name = "one_time_codes"

    key = UnicodeAttribute(hash_key=True)  # <purpose>#<phone>
    code_hash = UnicodeAttribute()
    attempts = NumberAttribute(default=0)
    sent_at = NumberAttribute()
    expires_at = TTLAttribute()  # TTL deletion is lazy: the service also compares sent_at with the TTL


class LoginThrottle(Model):
    """Failed sign-ins for one phone from one address (backoff), or for one address in a window."""

    class Meta:
        table_name = "login_throttles"

    key = UnicodeAttribute(hash_key=True)  # pa#<phone>#<address> | addr#<address>#<window start>
    failures = NumberAttribute(default=0)
    last_failed_at = NumberAttribute(default=0)
    expires_at = TTLAttribute()

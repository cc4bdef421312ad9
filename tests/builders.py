"""Builders with random ids, so tests never depend on each other's records."""

import random
import uuid

from flask_jwt_extended import create_access_token, create_refresh_token

from backend.accounts import certificates
from backend.accounts import store as accounts_store
from backend.accounts.models import DriverCredential, Organisation, Vehicle
from backend.auth import service as auth_service
from backend.auth import store as auth_store
from backend.auth.models import User
from backend.common.clock import now_ms

PASSWORD = "correct-horse-9"
_HASH = {}
_PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def random_ref(prefix):
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def random_phone():
    return "1" + random.choice("3456789") + "".join(random.choice("0123456789") for _ in range(9))


def random_plate():
    """A valid ordinary 陕K plate (heavy trucks carry yellow plates)."""
    return "陕K" + "".join(random.choice(_PLATE_CHARS) for _ in range(5))


def password_hash():
    # One KDF run per session: hashing is deliberately slow.
    if "h" not in _HASH:
        _HASH["h"] = auth_service.hash_password(PASSWORD)
    return _HASH["h"]


def make_org(kind):
    papers = valid_company_papers() if kind == "carrier" else {}
    return accounts_store.save_org(
        Organisation(random_ref("org"), kind=kind, name=f"测试{kind}", created_at=now_ms(), **papers)
    )


def valid_company_papers():
    """A carrier's USCC and 道路运输经营许可证 (random, check character right), valid for years."""
    body = "91610821MA" + "".join(random.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(7))
    return dict(
        credit_code=certificates.uscc_with_check(body),
        business_permit_no="610821" + _digits(6),
        business_permit_expires="2034-12-31",
    )


def make_user(role, *, org_id=None, mine_id=None, name=None):
    """A user saved through the store with a known password."""
    user = User(
        random_ref("u"),
        phone=random_phone(),
        name=name or f"测试{role}",
        role=role,
        org_id=org_id,
        mine_id=mine_id,
        password_hash=password_hash(),
        created_at=now_ms(),
        updated_at=now_ms(),
    )
    user = auth_store.create_user(user)
    if role == "driver" and org_id:
        # A driver with valid papers (a heavy truck is not dispatched without them: accounts/certificates.py).
        accounts_store.save_credential(DriverCredential(user.user_id, carrier_id=org_id, **valid_driver_papers()))
    return user


def _digits(n):
    return "".join(random.choice("0123456789") for _ in range(n))


def valid_driver_papers():
    """A driver's ID number, A2 licence and 从业资格证, all valid for years (random, check digits right)."""
    number = certificates.id_with_check("610802" + "1985" + "0612" + _digits(3))
    return dict(
        id_number=number,
        licence_class="A2",
        licence_valid_until="2035-06-30",
        qualification_no=number,
        qualification_expires="2034-12-31",
        updated_at=now_ms(),
    )


def valid_vehicle_papers():
    """A truck's VIN, 道路运输证 and energy type, valid for years (random, check digits right)."""
    body = "LZZ" + "".join(random.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(5)) + "0" + _digits(8)
    return dict(
        vin=certificates.vin_with_check(body),
        energy_type="B",
        transport_cert_no="610802" + _digits(6),
        transport_cert_expires="2034-12-31",
    )


def headers_for(user, *, idempotency_key=None):
    """Authorization (and a fresh Idempotency-Key) for a user; needs an app context."""
    token = create_access_token(identity=user.user_id, additional_claims=auth_service.token_claims(user))
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": idempotency_key or uuid.uuid4().hex}


def refresh_headers_for(user):
    token = create_refresh_token(identity=user.user_id, additional_claims=auth_service.token_claims(user))
    return {"Authorization": f"Bearer {token}"}


def make_vehicle(carrier_id, **overrides):
    fields = dict(
        plate=random_plate(),
        plate_color="yellow",
        axles=6,
        tare_kg=15000,
        rated_load_kg=34000,
        terminal_id=random_ref("T"),
        created_at=now_ms(),
        updated_at=now_ms(),
        carrier_id=carrier_id,
        **valid_vehicle_papers(),
    )
    fields.update(overrides)
    return accounts_store.create_vehicle(Vehicle(random_ref("veh"), **fields))


class Actor:
    """A principal-like object for calling services directly."""

    def __init__(self, user):
        self.user_id, self.role, self.org_id, self.mine_id = user.user_id, user.role, user.org_id, user.mine_id

"""Device request signing and the checks on a signed request, with the device store faked (no DynamoDB)."""

from types import SimpleNamespace

import pytest

from backend.common.errors import ApiError
from backend.devices import service, signing

MASTER = "m" * 32
T0 = 1_790_000_000_000
SKEW = 5 * 60 * 1000
BODY = b'{"kg": 48000}'


class FakeDevices:
    """The devices store: one registered device, active unless told otherwise."""

    def __init__(self, status="active"):
        self.device = SimpleNamespace(device_id="dev_1", key_salt="salt", status=status)

    def get_device(self, device_id):
        return self.device if device_id == "dev_1" else None


class FakeSeen:
    """The one-time claims a signature leaves, kept in a set."""

    def __init__(self):
        self.keys = set()

    def claim_once(self, *, key, now_ms, ttl_seconds):
        first = key not in self.keys
        self.keys.add(key)
        return first


def key():
    return signing.derive_key(MASTER, "dev_1", "salt")


def check(*, device_id="dev_1", at=T0, now=T0, body=BODY, signature=None, store=None, seen=None):
    signature = signature or signing.sign(key(), "post", "/api/gate/weighings", at, BODY)
    return service.authenticate(
        device_id=device_id,
        timestamp=str(at),
        signature=signature,
        method="POST",
        path="/api/gate/weighings",
        body=body,
        master_key=MASTER,
        max_skew_ms=SKEW,
        now_ms=now,
        store=store or FakeDevices(),
        seen=seen or FakeSeen(),
    )


def refused_code(**kw):
    with pytest.raises(ApiError) as refused:
        check(**kw)
    assert refused.value.status == 401
    return refused.value.code


def test_the_signature_covers_method_path_time_and_body():
    base = signing.sign(key(), "POST", "/api/gate/weighings", T0, BODY)
    assert signing.sign(key(), "post", "/api/gate/weighings", T0, BODY) == base  # the method's case is not signed
    others = [
        signing.sign(key(), "PUT", "/api/gate/weighings", T0, BODY),
        signing.sign(key(), "POST", "/api/gate/sightings", T0, BODY),
        signing.sign(key(), "POST", "/api/gate/weighings", T0 + 1, BODY),
        signing.sign(key(), "POST", "/api/gate/weighings", T0, b'{"kg": 18000}'),
    ]
    assert base not in others and len(set(others)) == 4


def test_each_device_has_its_own_key_recomputable_from_the_master():
    assert key() == signing.derive_key(MASTER, "dev_1", "salt")
    assert key() not in (signing.derive_key(MASTER, "dev_2", "salt"), signing.derive_key("x" * 32, "dev_1", "salt"))


def test_a_fresh_correctly_signed_request_names_its_device():
    assert check().device_id == "dev_1"
    assert check(at=T0 - SKEW, now=T0).device_id == "dev_1"  # the edge of the allowed clock skew


@pytest.mark.parametrize("at", [T0 - SKEW - 1, T0 + SKEW + 1])
def test_a_request_too_old_or_from_the_future_is_refused(at):
    assert refused_code(at=at) == "device_stale_request"


def test_a_tampered_body_an_unknown_or_disabled_device_are_refused():
    assert refused_code(body=b'{"kg": 18000}') == "device_bad_signature"
    assert refused_code(device_id="dev_9") == "device_unknown"
    assert refused_code(store=FakeDevices(status="disabled")) == "device_unknown"


def test_the_same_signed_request_twice_is_a_replay():
    seen = FakeSeen()
    check(seen=seen)
    assert refused_code(seen=seen) == "device_replayed"

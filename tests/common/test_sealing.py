"""Sealed secrets: AES-256-GCM under a key derived from SECRET_SEAL_KEY, bound to a purpose, naming its key."""

import pytest

from backend.common import sealing


@pytest.fixture
def keys(app, monkeypatch):
    monkeypatch.setitem(app.config, "SECRET_SEAL_KEY", "current-seal-key-0123456789")
    monkeypatch.setitem(app.config, "SECRET_SEAL_KEY_PREVIOUS", "")
    with app.app_context():
        yield lambda **values: [monkeypatch.setitem(app.config, k, v) for k, v in values.items()]


def test_a_sealed_value_opens_to_the_secret_and_does_not_show_it(keys):
    sealed = sealing.seal("whsec_abc", purpose="webhook signing secret")
    assert sealed.startswith("sealed:v1:") and "whsec_abc" not in sealed
    assert sealing.unseal(sealed, purpose="webhook signing secret") == "whsec_abc"
    assert sealing.seal("whsec_abc", purpose="webhook signing secret") != sealed  # a new nonce each time


def test_a_value_sealed_for_one_purpose_does_not_open_as_another(keys):
    sealed = sealing.seal("whsec_abc", purpose="webhook signing secret")
    with pytest.raises(sealing.SealError):
        sealing.unseal(sealed, purpose="some other secret")


def test_a_value_altered_in_the_table_does_not_open(keys):
    sealed = sealing.seal("whsec_abc", purpose="p")
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    for bad in (flipped, sealed[:-6], sealed + "!!"):
        with pytest.raises(sealing.SealError):
            sealing.unseal(bad, purpose="p")


def test_a_change_of_key_keeps_old_values_open_until_they_are_resealed(keys):
    old = sealing.seal("whsec_abc", purpose="p")
    keys(SECRET_SEAL_KEY="next-seal-key-0123456789", SECRET_SEAL_KEY_PREVIOUS="current-seal-key-0123456789")
    assert sealing.unseal(old, purpose="p") == "whsec_abc"
    assert sealing.needs_resealing(old)
    new = sealing.seal("whsec_abc", purpose="p")
    assert not sealing.needs_resealing(new) and new.split(":")[2] != old.split(":")[2]
    keys(SECRET_SEAL_KEY_PREVIOUS="")  # the previous key dropped too early: said plainly, never a wrong secret
    with pytest.raises(sealing.SealError, match="not configured"):
        sealing.unseal(old, purpose="p")


def test_a_value_from_before_sealing_reads_as_it_is_and_asks_to_be_sealed(keys):
    assert sealing.unseal("whsec_plain", purpose="p") == "whsec_plain"
    assert sealing.needs_resealing("whsec_plain")
    assert not sealing.needs_resealing(None)

"""Both adapters against the province sandbox over real HTTP: received, duplicate, decrypt and field errors."""

import time
import uuid

import pytest

from backend.regfeed import crypto, transport

BODY = {"VehicleNumber": "陕K3A612", "VehiclePlateColorCode": "2", "VIN": "LZZ5CLSB4KA100001",
        "RoadTransportCertificateNumber": "610821100001"}  # fmt: skip


def ministry(sandbox, **changes):
    options = dict(url=sandbox.url, sender_code="61080200001", token=sandbox.token, public_key=sandbox.public_key)
    return transport.Ministry(**dict(options, **changes), timeout=5)


def shaanxi(sandbox, **changes):
    return transport.Shaanxi(**dict(dict(url=sandbox.url, app_id="61080200001", secret=sandbox.token), **changes))


def verdict(adapter, ref, deadline_s=10):
    """The province's verdict once it is decided (it comes later than the acknowledgement)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        status, code, message = adapter.results([ref])[ref]
        if status != "pending":
            return status, code, message
        time.sleep(0.05)
    raise AssertionError("no verdict")


@pytest.mark.parametrize("make", [ministry, shaanxi], ids=["ministry", "shaanxi"])
def test_an_upload_is_acknowledged_then_accepted_and_a_second_send_is_a_duplicate(province_sandbox, make):
    adapter, ref = make(province_sandbox), uuid.uuid4().hex
    ack = adapter.send(document="WLHY_CL1001", version="2019-1", ref=ref, body=BODY, sent_ms=0)
    assert ack.code == transport.RECEIVED and ack.received
    assert verdict(adapter, ref)[0] == "accepted"
    again = adapter.send(document="WLHY_CL1001", version="2019-1", ref=ref, body=BODY, sent_ms=0)
    assert again.code == transport.DUPLICATE and again.received  # it is there: a resend after a lost reply
    arrived = [u for u in province_sandbox.uploads() if u["ref"] == ref]
    assert len(arrived) == 1 and arrived[0]["body"] == BODY  # decrypted on the province's side


@pytest.mark.parametrize("make", [ministry, shaanxi], ids=["ministry", "shaanxi"])
def test_a_missing_field_is_rejected_3005_after_the_acknowledgement(province_sandbox, make):
    adapter, ref = make(province_sandbox), uuid.uuid4().hex
    body = dict(BODY, VIN="")
    assert adapter.send(document="WLHY_CL1001", version="2019-1", ref=ref, body=body, sent_ms=0).received
    status, code, message = verdict(adapter, ref)
    assert (status, code) == ("rejected", transport.FIELD_ERROR) and "VIN" in message


def test_content_for_another_key_is_refused_3002_and_a_bad_token_3003(province_sandbox):
    _, other_public = crypto.sm2_keypair()
    wrong_key = ministry(province_sandbox, public_key=other_public)
    assert wrong_key.send(document="WLHY_CL1001", version="2019-1", ref=uuid.uuid4().hex, body=BODY,
                          sent_ms=0).code == "3002"  # fmt: skip
    wrong_token = ministry(province_sandbox, token="not-the-token")
    assert wrong_token.send(document="WLHY_CL1001", version="2019-1", ref=uuid.uuid4().hex, body=BODY,
                            sent_ms=0).code == "3003"  # fmt: skip


def test_a_shaanxi_sender_with_the_wrong_secret_cannot_sign_in(province_sandbox):
    with pytest.raises(transport.Unreachable):
        shaanxi(province_sandbox, secret="wrong").send(
            document="WLHY_CL1001", version="2019-1", ref=uuid.uuid4().hex, body=BODY, sent_ms=0
        )


def test_the_envelope_carries_the_guides_fields_and_no_plain_content(province_sandbox):
    envelope = ministry(province_sandbox).envelope(
        document="WLHY_CL1001", version="2019-1", ref="r" * 32, body=BODY, sent_ms=1_764_000_000_000
    )
    expected = {"MessageReferenceNumber", "DocumentName", "DocumentVersionNumber", "SenderCode", "RecipientCode",
                "MessageSendingDateTime", "IPCType", "Token", "EncryptedCode", "EncryptedContent"}  # fmt: skip
    assert set(envelope) == expected and "陕K" not in str(envelope)
    assert envelope["MessageSendingDateTime"] == "20251125000000"


def test_an_unreachable_province_is_an_exception_to_retry_on(province_sandbox):
    key = province_sandbox.public_key
    with pytest.raises(transport.Unreachable):
        transport.Ministry(url="http://127.0.0.1:9", sender_code="x", token="t", public_key=key, timeout=1).send(
            document="WLHY_CL1001", version="2019-1", ref="r", body={}, sent_ms=0
        )


def test_a_missing_province_key_is_a_clear_error():
    with pytest.raises(ValueError, match="SM2 public key"):
        crypto.sm2_wrap("", b"k" * 16)

"""The three providers' signatures, built and checked exactly as documented, with keys made here."""

import base64
import json
import time
import urllib.parse

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from backend.payments.providers import BadNotification, alipay, sandbox, wechatpay

APIV3_KEY = "0123456789abcdef0123456789abcdef"  # 32 characters, as WeChat's merchant platform issues


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem_public(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def docs_sign(key, message):
    """SHA256withRSA, base64: what both WeChat Pay v3 and Alipay RSA2 specify."""
    return base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


# --- sandbox (HMAC-SHA256 over "timestamp\nnonce\nbody\n") -------------------------------------------


def sandbox_notice(key, **fields):
    body = json.dumps(
        dict(notify_id="sn_1", order_id="wb_1", status="paid", transaction_id="st_1", amount_fen=1234, **fields)
    )
    return sandbox.signed_headers(key, body), body


def test_sandbox_notification_signed_with_the_key_is_read():
    adapter = sandbox.Sandbox(base_url="http://127.0.0.1:9", key="k" * 32)
    headers, body = sandbox_notice("k" * 32)
    notice = adapter.verify_notification(headers, body)
    assert (notice.order_id, notice.paid, notice.amount_fen, notice.transaction_id) == ("wb_1", True, 1234, "st_1")


@pytest.mark.parametrize("tamper", ["body", "key", "timestamp", "missing"])
def test_sandbox_notification_altered_or_unsigned_is_refused(tamper):
    adapter = sandbox.Sandbox(base_url="http://127.0.0.1:9", key="k" * 32)
    headers, body = sandbox_notice("other-key" * 4 if tamper == "key" else "k" * 32)
    if tamper == "body":
        body = body.replace("1234", "1")
    if tamper == "timestamp":
        headers["X-Sandbox-Timestamp"] = str(int(headers["X-Sandbox-Timestamp"]) + 1)
    if tamper == "missing":
        del headers["X-Sandbox-Signature"]
    with pytest.raises(BadNotification):
        adapter.verify_notification(headers, body)


def test_sandbox_without_a_key_accepts_nothing():
    adapter = sandbox.Sandbox(base_url="http://127.0.0.1:9", key="")
    headers, body = sandbox_notice("")
    with pytest.raises(BadNotification):
        adapter.verify_notification(headers, body)


# --- WeChat Pay v3 ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wechat():
    merchant, platform = rsa_key(), rsa_key()
    adapter = wechatpay.WechatPay(
        mchid="1900000001",
        appid="wxd678efh567hg6787",
        serial_no="5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
        private_key=merchant,
        apiv3_key=APIV3_KEY,
        platform_key=wechatpay.load_public(pem_public(platform)),
        platform_serial="PUB_KEY_ID_0000000001",
    )
    return adapter, merchant, platform


def test_wechat_request_is_signed_over_method_url_timestamp_nonce_body(wechat):
    adapter, merchant, _ = wechat
    body = adapter.create_body(order_id="wb_1", amount_fen=1234, description="coal", notify_url="https://x/n")
    method, url, headers, text = adapter.request("POST", "/v3/pay/transactions/native", body)
    auth = headers["Authorization"]
    assert auth.startswith("WECHATPAY2-SHA256-RSA2048 ")
    fields = dict(part.split("=", 1) for part in auth.split(" ", 1)[1].split(","))
    fields = {k: v.strip('"') for k, v in fields.items()}
    assert fields["mchid"] == "1900000001" and fields["serial_no"] == adapter.serial_no
    message = f"POST\n/v3/pay/transactions/native\n{fields['timestamp']}\n{fields['nonce_str']}\n{text}\n"
    merchant.public_key().verify(
        base64.b64decode(fields["signature"]), message.encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    assert url == "https://api.mch.weixin.qq.com/v3/pay/transactions/native"
    assert json.loads(text)["amount"] == {"total": 1234, "currency": "CNY"}


def wechat_notification(platform, *, total=1234, key=APIV3_KEY, serial="PUB_KEY_ID_0000000001"):
    """A TRANSACTION.SUCCESS notification as WeChat Pay sends it (resource AES-256-GCM, headers signed)."""
    resource = {
        "mchid": "1900000001",
        "out_trade_no": "wb_1",
        "transaction_id": "4200000001202611290000000001",
        "trade_state": "SUCCESS",
        "amount": {"total": total, "payer_total": total, "currency": "CNY", "payer_currency": "CNY"},
    }
    nonce, associated = "fdasflkja484", "transaction"
    ciphertext = AESGCM(key.encode()).encrypt(nonce.encode(), json.dumps(resource).encode(), associated.encode())
    body = json.dumps(
        {
            "id": "EV-2018022511223320873",
            "create_time": "2026-11-29T23:00:00+08:00",
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "summary": "支付成功",
            "resource": {
                "original_type": "transaction",
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(ciphertext).decode(),
                "associated_data": associated,
                "nonce": nonce,
            },
        }
    )
    timestamp, wx_nonce = str(int(time.time())), "593BEC0C930BF1AFEB40B4A08C8FB242"
    headers = {
        "Wechatpay-Timestamp": timestamp,
        "Wechatpay-Nonce": wx_nonce,
        "Wechatpay-Serial": serial,
        "Wechatpay-Signature": docs_sign(platform, f"{timestamp}\n{wx_nonce}\n{body}\n"),
    }
    return headers, body


def test_wechat_notification_verified_and_decrypted(wechat):
    adapter, _, platform = wechat
    notice = adapter.verify_notification(*wechat_notification(platform))
    assert (notice.order_id, notice.paid, notice.amount_fen) == ("wb_1", True, 1234)
    assert notice.transaction_id == "4200000001202611290000000001" and notice.notify_id == "EV-2018022511223320873"


@pytest.mark.parametrize("tamper", ["body", "signer", "serial", "apiv3_key"])
def test_wechat_notification_not_from_the_platform_is_refused(wechat, tamper):
    adapter, merchant, platform = wechat
    headers, body = wechat_notification(
        merchant if tamper == "signer" else platform,
        serial="OTHER" if tamper == "serial" else "PUB_KEY_ID_0000000001",
        key="f" * 32 if tamper == "apiv3_key" else APIV3_KEY,
    )
    if tamper == "body":  # apiv3_key: signed right, but the resource was sealed under another key
        body = body.replace("EV-2018022511223320873", "EV-2018022511223320874")
    with pytest.raises(BadNotification):
        adapter.verify_notification(headers, body)


# --- Alipay RSA2 --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ali():
    app_key, alipay_key = rsa_key(), rsa_key()
    adapter = alipay.Alipay(
        app_id="2021000000000001", private_key=app_key, alipay_public_key=wechatpay.load_public(pem_public(alipay_key))
    )
    return adapter, app_key, alipay_key


def test_alipay_signed_string_is_sorted_unencoded_without_sign_or_empty_values():
    params = {"b": "2", "a": "x y&z", "sign": "S", "sign_type": "RSA2", "empty": ""}
    assert alipay.content(params) == "a=x y&z&b=2&sign_type=RSA2"
    assert alipay.content(params, without=("sign", "sign_type")) == "a=x y&z&b=2"


def test_alipay_page_pay_url_carries_an_rsa2_signature_over_its_parameters(ali):
    adapter, app_key, _ = ali
    created = adapter.create(
        order_id="wb_1", amount_fen=123405, description="原煤", notify_url="https://x/n", return_url="https://x/r"
    )
    params = {k: v[-1] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(created.pay_url).query).items()}
    assert params["method"] == "alipay.trade.page.pay" and params["sign_type"] == "RSA2"
    assert json.loads(params["biz_content"])["total_amount"] == "1234.05"
    app_key.public_key().verify(
        base64.b64decode(params["sign"]), alipay.content(params).encode(), padding.PKCS1v15(), hashes.SHA256()
    )


def alipay_notification(alipay_key, **changes):
    """A trade notification as Alipay POSTs it: form fields, RSA2 over all but sign and sign_type."""
    params = {
        "notify_time": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + 8 * 3600)),
        "notify_type": "trade_status_sync",
        "notify_id": "ac05099524730693a8b330c5ecf72da9786",
        "app_id": "2021000000000001",
        "charset": "utf-8",
        "version": "1.0",
        "trade_no": "2026112922001400000000000001",
        "out_trade_no": "wb_1",
        "trade_status": "TRADE_SUCCESS",
        "total_amount": "1234.05",
        "subject": "原煤 一车",
    }
    params.update(changes)
    signed = alipay.content(params, without=("sign", "sign_type"))
    params.update(sign_type="RSA2", sign=docs_sign(alipay_key, signed))
    return params


def test_alipay_notification_verified_with_alipays_key(ali):
    adapter, _, alipay_key = ali
    body = urllib.parse.urlencode(alipay_notification(alipay_key))
    notice = adapter.verify_notification({}, body)
    assert (notice.order_id, notice.paid, notice.amount_fen) == ("wb_1", True, 123405)


@pytest.mark.parametrize("tamper", ["amount", "signer", "app", "fraction_of_fen"])
def test_alipay_notification_altered_or_foreign_is_refused(ali, tamper):
    adapter, app_key, alipay_key = ali
    if tamper == "app":
        params = alipay_notification(alipay_key, app_id="2021999999999999")
    elif tamper == "fraction_of_fen":
        params = alipay_notification(alipay_key, total_amount="1234.055")
    else:
        params = alipay_notification(app_key if tamper == "signer" else alipay_key)
    if tamper == "amount":
        params["total_amount"] = "0.01"
    with pytest.raises(BadNotification):
        adapter.verify_notification({}, urllib.parse.urlencode(params))

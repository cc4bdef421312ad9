"""WeChat Pay API v3 (Native pay), as documented at pay.weixin.qq.com/docs/merchant.

Requests: header Authorization `WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",signature="..",
timestamp="..",serial_no=".."`, signature = base64 SHA256withRSA (PKCS#1 v1.5) with the merchant key over
"METHOD\\nURL(path+query)\\ntimestamp\\nnonce\\nbody\\n". Notifications: Wechatpay-Timestamp/-Nonce/
-Signature/-Serial headers, the signature by the platform certificate's key over "timestamp\\nnonce\\nbody\\n";
the resource is AEAD_AES_256_GCM with the APIv3 key (32 bytes), its nonce and associated_data.
"""

import base64
import json
import secrets
import time
import urllib.parse

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from backend.payments.providers import BadNotification, Created, Notice, ProviderUnavailable, http_json

API = "https://api.mch.weixin.qq.com"
SCHEMA = "WECHATPAY2-SHA256-RSA2048"


def rsa_sign(private_key, message):
    return base64.b64encode(private_key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa_verify(public_key, message, signature_b64):
    try:
        public_key.verify(base64.b64decode(signature_b64), message.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        raise BadNotification("signature does not match") from None


def load_private(pem):
    return serialization.load_pem_private_key(pem.encode() if isinstance(pem, str) else pem, password=None)


def load_public(pem):
    """The platform key from its certificate (or a bare public key PEM, as WeChat's 微信支付公钥)."""
    data = pem.encode() if isinstance(pem, str) else pem
    if b"CERTIFICATE" in data:
        from cryptography import x509

        return x509.load_pem_x509_certificate(data).public_key()
    return serialization.load_pem_public_key(data)


class WechatPay:
    """Native pay (a code_url shown as a QR) for one merchant."""

    name = "wechatpay"

    def __init__(self, *, mchid, appid, serial_no, private_key, apiv3_key, platform_key, platform_serial, api=API):
        self.mchid, self.appid, self.serial_no = mchid, appid, serial_no
        self.private_key, self.apiv3_key = private_key, apiv3_key.encode()
        self.platform_key, self.platform_serial, self.api = platform_key, platform_serial, api.rstrip("/")

    def authorization(self, method, url_path, body, *, timestamp=None, nonce=None):
        """The Authorization header of one request (url_path is the path with its query string)."""
        timestamp, nonce = str(timestamp or int(time.time())), nonce or secrets.token_hex(16)
        signature = rsa_sign(self.private_key, f"{method}\n{url_path}\n{timestamp}\n{nonce}\n{body}\n")
        return (
            f'{SCHEMA} mchid="{self.mchid}",nonce_str="{nonce}",signature="{signature}",'
            f'timestamp="{timestamp}",serial_no="{self.serial_no}"'
        )

    def request(self, method, url_path, payload=None):
        """(method, full URL, headers, body) of a signed call; `_send` performs it."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False) if payload is not None else ""
        headers = {
            "Authorization": self.authorization(method, url_path, body),
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Wechatpay-Serial": self.platform_serial,
        }
        return method, self.api + url_path, headers, body

    def _send(self, method, url_path, payload=None):
        method, url, headers, body = self.request(method, url_path, payload)
        status, reply = http_json(method, url, body=body or None, headers=headers)
        if status >= 400:
            raise ProviderUnavailable(f"wechatpay {url_path}: {status} {reply}")
        return reply

    def create_body(self, *, order_id, amount_fen, description, notify_url):
        return {
            "appid": self.appid,
            "mchid": self.mchid,
            "description": description,
            "out_trade_no": order_id,
            "notify_url": notify_url,
            "amount": {"total": amount_fen, "currency": "CNY"},
        }

    def create(self, *, order_id, amount_fen, description, notify_url, return_url):
        body = self.create_body(
            order_id=order_id, amount_fen=amount_fen, description=description, notify_url=notify_url
        )
        reply = self._send("POST", "/v3/pay/transactions/native", body)
        return Created(prepay={"code_url": reply["code_url"]})

    def decrypt(self, resource):
        """The notification's plain resource (AES-256-GCM; the tag is the ciphertext's last 16 bytes)."""
        try:
            plain = AESGCM(self.apiv3_key).decrypt(
                resource["nonce"].encode(),
                base64.b64decode(resource["ciphertext"]),
                (resource.get("associated_data") or "").encode(),
            )
            return json.loads(plain)
        except (InvalidTag, KeyError, ValueError, TypeError):
            raise BadNotification("resource does not decrypt") from None

    def verify_notification(self, headers, body):
        timestamp, nonce = headers.get("Wechatpay-Timestamp", ""), headers.get("Wechatpay-Nonce", "")
        signature, serial = headers.get("Wechatpay-Signature", ""), headers.get("Wechatpay-Serial", "")
        if not (timestamp.isdigit() and nonce and signature):
            raise BadNotification("missing Wechatpay-* headers")
        if serial != self.platform_serial:
            raise BadNotification("signed by an unknown platform certificate")
        rsa_verify(self.platform_key, f"{timestamp}\n{nonce}\n{body}\n", signature)
        try:
            envelope = json.loads(body)
            data = self.decrypt(envelope["resource"])
            refund = envelope["event_type"].startswith("REFUND.")
            return Notice(
                order_id=data["out_trade_no"],
                paid=(data.get("refund_status") if refund else data.get("trade_state")) == "SUCCESS",
                transaction_id=data["transaction_id"] if not refund else data["refund_id"],
                amount_fen=int(data["amount"]["refund" if refund else "total"]),
                event="refund" if refund else "payment",
                notify_id=envelope["id"],
                sent_at_ms=int(timestamp) * 1000,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise BadNotification(f"malformed notification: {error}") from None

    def query(self, order_id):
        path = f"/v3/pay/transactions/out-trade-no/{urllib.parse.quote(order_id)}?mchid={self.mchid}"
        data = self._send("GET", path)
        return Notice(
            order_id=order_id,
            paid=data.get("trade_state") in ("SUCCESS", "REFUND"),
            transaction_id=data.get("transaction_id"),
            amount_fen=(data.get("amount") or {}).get("total"),
        )

    def refund(self, *, order_id, refund_id, amount_fen, total_fen):
        body = {
            "out_trade_no": order_id,
            "out_refund_no": refund_id,
            "amount": {"refund": amount_fen, "total": total_fen, "currency": "CNY"},
        }
        return self._send("POST", "/v3/refund/domestic/refunds", body).get("status") in ("SUCCESS", "PROCESSING")


def from_settings():
    from backend.config import setting

    return WechatPay(
        mchid=setting("WECHATPAY_MCHID"),
        appid=setting("WECHATPAY_APPID"),
        serial_no=setting("WECHATPAY_SERIAL_NO"),
        private_key=load_private(setting("WECHATPAY_PRIVATE_KEY")),
        apiv3_key=setting("WECHATPAY_APIV3_KEY"),
        platform_key=load_public(setting("WECHATPAY_PLATFORM_CERT")),
        platform_serial=setting("WECHATPAY_PLATFORM_SERIAL"),
    )

"""Alipay open platform (电脑网站支付 alipay.trade.page.pay), as documented at opendocs.alipay.com.

RSA2 = SHA256withRSA (PKCS#1 v1.5), base64. Requests sign the sorted "k=v&k=v" string of every non-empty
parameter except `sign` (values not URL-encoded); an asynchronous notification is verified with Alipay's
public key over the same string built without `sign` and `sign_type`. Amounts travel in yuan ("12.34").
"""

import json
import urllib.parse
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from backend.payments.providers import BadNotification, Created, Notice, ProviderUnavailable, http_json
from backend.payments.providers.wechatpay import load_private, load_public, rsa_sign, rsa_verify

GATEWAY = "https://openapi.alipay.com/gateway.do"
SHANGHAI = timedelta(hours=8)


def content(params, *, without=("sign",)):
    """The string signed: sorted, unencoded "k=v" pairs joined by &, empty values and `without` left out."""
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k not in without and params[k] not in (None, ""))


def yuan(fen):
    return f"{fen // 100}.{fen % 100:02d}"


def fen(yuan_text):
    """Exact fen from "12.34"; anything else is a malformed notification."""
    try:
        value = Decimal(yuan_text) * 100
    except (InvalidOperation, TypeError):
        raise BadNotification(f"bad amount {yuan_text!r}") from None
    if value != value.to_integral_value():
        raise BadNotification(f"bad amount {yuan_text!r}")
    return int(value)


class Alipay:
    """One app's calls; Alipay's public key verifies what comes back."""

    name = "alipay"

    def __init__(self, *, app_id, private_key, alipay_public_key, gateway=GATEWAY):
        self.app_id, self.private_key, self.public_key, self.gateway = app_id, private_key, alipay_public_key, gateway

    def signed_params(self, method, biz_content, **extra):
        params = {
            "app_id": self.app_id,
            "method": method,
            "charset": "utf-8",
            "sign_type": "RSA2",
            "timestamp": (datetime.now(UTC) + SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
            "version": "1.0",
            "biz_content": json.dumps(biz_content, separators=(",", ":"), ensure_ascii=False),
            **{k: v for k, v in extra.items() if v},
        }
        params["sign"] = rsa_sign(self.private_key, content(params))
        return params

    def create(self, *, order_id, amount_fen, description, notify_url, return_url):
        biz = {
            "out_trade_no": order_id,
            "total_amount": yuan(amount_fen),
            "subject": description,
            "product_code": "FAST_INSTANT_TRADE_PAY",
        }
        params = self.signed_params("alipay.trade.page.pay", biz, notify_url=notify_url, return_url=return_url)
        return Created(pay_url=self.gateway + "?" + urllib.parse.urlencode(params))

    def verify_notification(self, headers, body):
        """A form-encoded notification (body as text) verified with Alipay's public key."""
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
        if not params.get("sign") or params.get("sign_type", "RSA2") != "RSA2":
            raise BadNotification("missing RSA2 sign")
        rsa_verify(self.public_key, content(params, without=("sign", "sign_type")), params["sign"])
        if params.get("app_id") != self.app_id:
            raise BadNotification("notification for another app")
        try:
            sent = datetime.strptime(params["notify_time"], "%Y-%m-%d %H:%M:%S") - SHANGHAI
            return Notice(
                order_id=params["out_trade_no"],
                paid=params.get("trade_status") in ("TRADE_SUCCESS", "TRADE_FINISHED"),
                transaction_id=params["trade_no"],
                amount_fen=fen(params["total_amount"]),
                notify_id=params["notify_id"],
                sent_at_ms=int(sent.replace(tzinfo=UTC).timestamp() * 1000),
            )
        except (KeyError, ValueError) as error:
            raise BadNotification(f"malformed notification: {error}") from None

    def _call(self, method, biz):
        params = self.signed_params(method, biz)
        status, reply = http_json("POST", self.gateway + "?" + urllib.parse.urlencode(params), body=b"")
        data = reply.get(method.replace(".", "_") + "_response") or {}
        if status >= 400 or data.get("code") not in ("10000", "40004"):
            raise ProviderUnavailable(f"alipay {method}: {status} {data}")
        return data

    def query(self, order_id):
        data = self._call("alipay.trade.query", {"out_trade_no": order_id})
        paid = data.get("trade_status") in ("TRADE_SUCCESS", "TRADE_FINISHED")
        amount = fen(data["total_amount"]) if data.get("total_amount") else None
        return Notice(order_id=order_id, paid=paid, transaction_id=data.get("trade_no"), amount_fen=amount)

    def refund(self, *, order_id, refund_id, amount_fen, total_fen):
        biz = {"out_trade_no": order_id, "out_request_no": refund_id, "refund_amount": yuan(amount_fen)}
        return self._call("alipay.trade.refund", biz).get("code") == "10000"


def from_settings():
    from backend.config import setting

    return Alipay(
        app_id=setting("ALIPAY_APP_ID"),
        private_key=load_private(setting("ALIPAY_PRIVATE_KEY")),
        alipay_public_key=load_public(setting("ALIPAY_PUBLIC_KEY")),
        gateway=setting("ALIPAY_GATEWAY"),
    )

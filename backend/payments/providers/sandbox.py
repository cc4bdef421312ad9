"""The local sandbox provider (backend/localstore/pay_sandbox.py) and its signature scheme.

Scheme (both directions, one shared key PAY_SANDBOX_KEY): headers X-Sandbox-Timestamp (epoch seconds),
X-Sandbox-Nonce and X-Sandbox-Signature = hex HMAC-SHA256(key, "timestamp\\nnonce\\nbody\\n") - the
shape of WeChat Pay v3's signed string, with a symmetric key because both ends are ours.
"""

import hashlib
import hmac
import json
import secrets
import time

from backend.payments.providers import BadNotification, Created, Notice, ProviderUnavailable, http_json

MIN_KEY_CHARS = 16


def signed_string(timestamp, nonce, body):
    return f"{timestamp}\n{nonce}\n{body}\n"


def sign(key, timestamp, nonce, body):
    return hmac.new(key.encode(), signed_string(timestamp, nonce, body).encode(), hashlib.sha256).hexdigest()


def signed_headers(key, body, *, timestamp=None):
    """Headers that sign `body` (str) now."""
    timestamp, nonce = str(timestamp or int(time.time())), secrets.token_hex(12)
    return {
        "Content-Type": "application/json",
        "X-Sandbox-Timestamp": timestamp,
        "X-Sandbox-Nonce": nonce,
        "X-Sandbox-Signature": sign(key, timestamp, nonce, body),
    }


def verify(key, headers, body):
    """Raise BadNotification unless the headers sign exactly this body with the key."""
    if len(key or "") < MIN_KEY_CHARS:  # an unset key would let anyone sign (HMAC with "" is computable)
        raise BadNotification("no sandbox key is configured")
    timestamp, nonce = headers.get("X-Sandbox-Timestamp", ""), headers.get("X-Sandbox-Nonce", "")
    given = headers.get("X-Sandbox-Signature", "")
    if not (timestamp.isdigit() and nonce and given):
        raise BadNotification("missing signature headers")
    if not hmac.compare_digest(sign(key, timestamp, nonce, body), given):
        raise BadNotification("signature does not match")
    return int(timestamp)


class Sandbox:
    """Talks to the sandbox server exactly as an adapter talks to a real provider."""

    name = "sandbox"

    def __init__(self, *, base_url, key, timeout=5.0):
        self.base_url, self.key, self.timeout = base_url.rstrip("/"), key, timeout

    def _call(self, method, path, payload=None):
        body = json.dumps(payload or {}, separators=(",", ":"), sort_keys=True)
        status, reply = http_json(
            method, self.base_url + path, body=body, headers=signed_headers(self.key, body), timeout=self.timeout
        )
        if status >= 400:
            raise ProviderUnavailable(f"sandbox {path}: {status} {reply}")
        return reply

    def create(self, *, order_id, amount_fen, description, notify_url, return_url):
        reply = self._call(
            "POST",
            "/v1/payments",
            {
                "order_id": order_id,
                "amount_fen": amount_fen,
                "description": description,
                "notify_url": notify_url,
                "return_url": return_url,
            },
        )
        return Created(pay_url=reply["pay_url"])

    def verify_notification(self, headers, body):
        """The notice a signed JSON notification carries (body as text)."""
        sent = verify(self.key, headers, body)
        try:
            data = json.loads(body)
            return Notice(
                order_id=str(data["order_id"]),
                paid=data["status"] == "paid",
                transaction_id=str(data["transaction_id"]),
                amount_fen=int(data["amount_fen"]),
                event=data.get("event", "payment"),
                notify_id=str(data["notify_id"]),
                sent_at_ms=sent * 1000,
            )
        except (ValueError, KeyError, TypeError) as error:
            raise BadNotification(f"malformed notification: {error}") from None

    def query(self, order_id):
        data = self._call("POST", "/v1/payments/query", {"order_id": order_id})
        if not data.get("found"):
            return Notice(order_id=order_id, paid=False)
        return Notice(
            order_id=order_id,
            paid=data["status"] in ("paid", "refunded"),
            transaction_id=data.get("transaction_id"),
            amount_fen=data.get("amount_fen"),
        )

    def refund(self, *, order_id, refund_id, amount_fen, total_fen):
        data = self._call(
            "POST", "/v1/refunds", {"order_id": order_id, "refund_id": refund_id, "amount_fen": amount_fen}
        )
        return data["status"] == "success"


def from_settings():
    from backend.config import setting

    return Sandbox(base_url=setting("PAY_SANDBOX_URL"), key=setting("PAY_SANDBOX_KEY"))

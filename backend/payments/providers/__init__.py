"""The payment-provider interface: create, verify a notification, query, refund; one adapter a provider."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass


class BadNotification(Exception):
    """A notification that fails its signature or its format: nothing may change because of it."""


class ProviderUnavailable(Exception):
    """The provider did not answer (timeout, refused, 5xx): the truth is asked for again later."""


@dataclass(frozen=True)
class Created:
    """What the buyer is sent to: a hosted page URL, or the provider's prepay data for an app/QR."""

    pay_url: str = None
    prepay: dict = None


@dataclass(frozen=True)
class Notice:
    """A verified notification or a query's answer, in our terms (amounts in fen)."""

    order_id: str
    paid: bool
    transaction_id: str = None
    amount_fen: int = None
    event: str = "payment"  # payment | refund
    notify_id: str = None
    sent_at_ms: int = None


def http_json(method, url, *, body=None, headers=None, timeout=5.0):
    """One JSON call; a timeout, a refused connection or a 5xx is ProviderUnavailable."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as reply:
            return reply.status, json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as error:
        if error.code >= 500:
            raise ProviderUnavailable(f"{url}: {error.code}") from None
        return error.code, json.loads(error.read() or b"{}")
    except (OSError, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from None


def get(name):
    """The adapter named by PAY_PROVIDER (imported here so a run loads only its own)."""
    from backend.payments.providers import alipay, sandbox, wechatpay

    adapters = {"sandbox": sandbox.from_settings, "wechatpay": wechatpay.from_settings, "alipay": alipay.from_settings}
    if name not in adapters:
        raise ValueError(f"unknown payment provider {name}")
    return adapters[name]()

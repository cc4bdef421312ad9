"""Transport adapters per province behind one interface: send a document, ask for results.

`Ministry` is the national access guide's envelope: message reference number, document name and version,
sender code, time, IPC type and token around the content, which is SM4-CBC encrypted under a fresh key that
travels SM2-encrypted to the province's public key (EncryptedCode). `Shaanxi` signs in for a token, encrypts
the content with AES-128-CBC and signs the sorted parameters with HMAC-SHA256. Both answer an `Ack`
(received is not accepted: acceptance comes later from `results`).
"""

import base64
import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from backend.regfeed import crypto

RECEIVED, DUPLICATE, FIELD_ERROR = "1001", "3001", "3005"
IPC_TYPE = "HTTP"


@dataclass(frozen=True)
class Ack:
    code: str
    message: str = ""

    @property
    def received(self):
        """The province has it: received now, or received before under the same reference (a resend)."""
        return self.code in (RECEIVED, DUPLICATE)


class Unreachable(Exception):
    """No answer (connection refused, timeout): the document stays for a retry with the same reference."""


def _post(url, payload, *, timeout, headers=None):
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return json.load(reply)
    except urllib.error.HTTPError as error:
        try:
            return json.load(error)
        except ValueError:
            raise Unreachable(f"HTTP {error.code}") from None
    except (OSError, ValueError) as error:  # refused, reset, timed out, garbled
        raise Unreachable(str(error)) from None


def canonical(body):
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


class Ministry:
    """The ministry's envelope with SM2-wrapped SM4 content."""

    def __init__(self, *, url, sender_code, token, public_key, timeout=10):
        self.url, self.sender, self.token, self.public_key, self.timeout = url, sender_code, token, public_key, timeout

    def envelope(self, *, document, version, ref, body, sent_ms):
        key = os.urandom(16)
        return {
            "MessageReferenceNumber": ref,
            "DocumentName": document,
            "DocumentVersionNumber": version,
            "SenderCode": self.sender,
            "RecipientCode": "province",
            "MessageSendingDateTime": time.strftime("%Y%m%d%H%M%S", time.gmtime(sent_ms / 1000 + 8 * 3600)),
            "IPCType": IPC_TYPE,
            "Token": self.token,
            "EncryptedCode": crypto.sm2_wrap(self.public_key, key).hex(),
            "EncryptedContent": base64.b64encode(crypto.sm4_encrypt(key, canonical(body))).decode(),
        }

    def send(self, *, document, version, ref, body, sent_ms):
        payload = self.envelope(document=document, version=version, ref=ref, body=body, sent_ms=sent_ms)
        reply = _post(self.url + "/ministry/upload", payload, timeout=self.timeout)
        return Ack(str(reply.get("ResultCode")), reply.get("ResultMessage", ""))

    def results(self, refs):
        """{ref: (status, code, message)}: status accepted | rejected | pending | unknown."""
        reply = _post(
            self.url + "/ministry/result", {"MessageReferenceNumbers": refs, "Token": self.token}, timeout=self.timeout
        )
        return {
            r["MessageReferenceNumber"]: (r["Status"], r.get("ResultCode"), r.get("ResultMessage"))
            for r in reply.get("Results", [])
        }


def shaanxi_keys(secret):
    """(AES key, IV) agreed with the Shaanxi platform; locally both sides derive them from the app secret."""
    digest = hashlib.sha256(secret.encode()).digest()
    return digest[:16], digest[16:]


def signed(params, secret):
    """The parameters with `sign`: HMAC-SHA256 over key=value pairs sorted by key, joined by &."""
    text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign")
    return dict(params, sign=crypto.hmac_sha256(secret, text))


class Shaanxi:
    """陕西省网络货运监测平台: token sign-in, AES-128-CBC content, signed parameters."""

    def __init__(self, *, url, app_id, secret, timeout=10):
        self.url, self.app_id, self.secret, self.timeout = url, app_id, secret, timeout
        self._token = None

    def _sign_in(self):
        params = signed({"appId": self.app_id, "timestamp": str(int(time.time() * 1000))}, self.secret)
        reply = _post(self.url + "/shaanxi/login", params, timeout=self.timeout)
        if not reply.get("token"):
            raise Unreachable(f"sign-in refused: {reply}")
        self._token = reply["token"]

    def _call(self, path, params):
        for _ in range(2):  # an expired token is answered 401 once: sign in again
            if self._token is None:
                self._sign_in()
            call = signed(
                dict(params, appId=self.app_id, token=self._token, timestamp=str(int(time.time() * 1000))), self.secret
            )
            reply = _post(self.url + path, call, timeout=self.timeout)
            if reply.get("code") != "401":
                return reply
            self._token = None
        raise Unreachable("token refused twice")

    def send(self, *, document, version, ref, body, sent_ms):
        key, iv = shaanxi_keys(self.secret)
        content = base64.b64encode(crypto.aes128_encrypt(key, canonical(body), iv)).decode()
        reply = self._call("/shaanxi/upload", {"docType": document, "version": version, "ref": ref, "content": content})
        return Ack(str(reply.get("code")), reply.get("msg", ""))

    def results(self, refs):
        reply = self._call("/shaanxi/result", {"refs": ",".join(refs)})
        return {r["ref"]: (r["status"], r.get("code"), r.get("msg")) for r in reply.get("results", [])}


def from_settings(setting):
    """The adapter the settings name (REGFEED_PROVINCE)."""
    timeout = setting("REGFEED_TIMEOUT_SECONDS")
    url, sender, token = setting("REGFEED_URL"), setting("REGFEED_SENDER_CODE"), setting("REGFEED_TOKEN")
    if setting("REGFEED_PROVINCE") == "shaanxi":
        return Shaanxi(url=url, app_id=sender, secret=token, timeout=timeout)
    return Ministry(url=url, sender_code=sender, token=token, public_key=setting("REGFEED_PUBLIC_KEY"), timeout=timeout)

"""A local province monitoring system: decrypts, validates, acknowledges, then accepts or rejects later.

    PROVINCE_SANDBOX_KEY=<sm2 private hex> PROVINCE_SANDBOX_TOKEN=... .venv/bin/python -m \
        backend.localstore.province_sandbox --port 8005

Two doors, like the two adapters in backend/regfeed/transport.py: /ministry/upload takes the ministry's
envelope (token checked, EncryptedCode SM2-decrypted with the sandbox's private key, the content SM4-decrypted)
and /shaanxi/login + /shaanxi/upload the Shaanxi variant (signed parameters, token, AES-128-CBC content).
An upload is answered at once: 1001 received, 3001 a message reference number seen before, 3002 content that
does not decrypt, 3003 a bad token or signature. Whether it is accepted is decided after ACCEPT_DELAY_S on a
thread and read back from /ministry/result or /shaanxi/result: accepted, or rejected 3005 when a required
field is missing or malformed. Tests script what happens next through POST /admin/script:
{"document": "WLHY_YD1001", "subject": "<waybill id>", "code": "3005", "message": "...", "times": 1} rejects the
next matching uploads; {"stall_ms": 3000, "times": 1} holds the next replies that long (a client timeout;
the upload is still recorded, so a resend with the same reference meets 3001). GET /admin/uploads lists what
arrived (decrypted). Loopback only; state in memory.
"""

import argparse
import base64
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from backend.localstore.dynamodb_local import REPO_ROOT, DynamoDBLocal, free_port
from backend.regfeed import crypto
from backend.regfeed.transport import shaanxi_keys, signed

ACCEPT_DELAY_S = 0.2
# Fields the province insists on per document (dotted paths; lists are checked on their first element).
REQUIRED = {
    "WLHY_YD1001": [
        "ShippingNoteNumber",
        "Carrier",
        "UnifiedSocialCreditIdentifier",
        "PermitNumber",
        "ConsignmentDateTime",
        "DespatchActualDateTime",
        "GoodsReceiptDateTime",
        "ConsignorInfo.CountrySubdivisionCode",
        "ConsigneeInfo.CountrySubdivisionCode",
        "TotalMonetaryAmount",
        "VehicleInfo.VehicleNumber",
        "VehicleInfo.VehiclePlateColorCode",
        "VehicleInfo.Driver.DrivingLicense",
        "VehicleInfo.GoodsInfo.GoodsItemGrossWeight",
        "ActualCarrierInfo.ActualCarrierID",
    ],
    "WLHY_ZJ1001": [
        "DocumentNumber",
        "ShippingNoteList.ShippingNoteNumber",
        "Financiallist.SequenceCode",
        "Financiallist.MonetaryAmount",
        "VehicleNumber",
    ],
    "WLHY_CL1001": ["VehicleNumber", "VehiclePlateColorCode", "VIN", "RoadTransportCertificateNumber"],
    "WLHY_JSY1001": ["DriverName", "DrivingLicense", "QualificationCertificate"],
    "WLHY_WZ1001": ["ShippingNoteNumber", "VehicleNumber", "PositionList.Longitude"],
}
SUBJECT_FIELDS = ("ShippingNoteNumber", "DocumentNumber", "VehicleNumber", "DrivingLicense")


def _value(body, path):
    for part in path.split("."):
        if isinstance(body, list):
            body = body[0] if body else None
        body = body.get(part) if isinstance(body, dict) else None
    return body


def missing_fields(document, body):
    """The required fields of a document that are absent or empty."""
    return [path for path in REQUIRED.get(document, []) if _value(body, path) in (None, "", [])]


class Province:
    """Uploads by reference, their verdicts and the scripted misbehaviour (thread-safe)."""

    def __init__(self, private_key, token):
        self.private_key, self.token, self.lock = private_key, token, threading.Lock()
        self.uploads, self.verdicts, self.scripts, self.sessions = {}, {}, [], set()

    def script(self, rule):
        with self.lock:
            self.scripts.append(dict(rule, times=int(rule.get("times", 1))))

    def _take(self, kind, document=None, subject=None):
        with self.lock:
            for rule in self.scripts:
                if rule["times"] <= 0 or kind not in rule:
                    continue
                if rule.get("document") not in (None, document) or rule.get("subject") not in (None, subject):
                    continue
                rule["times"] -= 1
                return rule
        return None

    def stall(self, document):
        rule = self._take("stall_ms", document)
        if rule:
            time.sleep(int(rule["stall_ms"]) / 1000)

    def receive(self, ref, document, body):
        """1001 and a verdict later, or 3001 for a reference seen before."""
        subject = next((body.get(f) for f in SUBJECT_FIELDS if body.get(f)), None)
        with self.lock:
            if ref in self.uploads:
                return "3001", "duplicate message reference number"
            self.uploads[ref] = {"ref": ref, "document": document, "subject": subject, "body": body, "at": time.time()}
            self.verdicts[ref] = ("pending", None, None)
        scripted = self._take("code", document, subject)

        def decide():
            time.sleep(ACCEPT_DELAY_S)
            missing = missing_fields(document, body)
            if scripted:
                verdict = ("rejected", str(scripted["code"]), scripted.get("message", "scripted rejection"))
            elif missing:
                verdict = ("rejected", "3005", "field validation failed: " + ", ".join(missing))
            else:
                verdict = ("accepted", "1000", "accepted")
            with self.lock:
                self.verdicts[ref] = verdict

        threading.Thread(target=decide, daemon=True).start()
        return "1001", "received"

    def verdict(self, ref):
        with self.lock:
            return self.verdicts.get(ref, ("unknown", None, None))


def ministry_upload(province, envelope):
    if envelope.get("Token") != province.token:
        return "3003", "token invalid"
    try:
        key = crypto.sm2_unwrap(province.private_key, bytes.fromhex(envelope["EncryptedCode"]))
        body = json.loads(crypto.sm4_decrypt(key, base64.b64decode(envelope["EncryptedContent"])))
    except Exception:  # noqa: BLE001 - anything that does not decrypt is the same refusal
        return "3002", "content could not be decrypted"
    return province.receive(envelope["MessageReferenceNumber"], envelope["DocumentName"], body)


def shaanxi_checked(province, params):
    """True when the parameters carry a right signature and (past sign-in) a live token."""
    if signed(params, province.token) != params:
        return False
    return "token" not in params or params["token"] in province.sessions


def handler_for(province):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def _reply(self, status, body):
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _json(self):
            return json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")

        def do_POST(self):
            data, path = self._json(), self.path.split("?")[0]
            if path == "/admin/script":
                province.script(data)
                return self._reply(200, {"ok": True})
            if path == "/ministry/upload":
                code, message = ministry_upload(province, data)
                # Recorded first: a stall is a reply lost to a client timeout, not a lost upload.
                province.stall(data.get("DocumentName"))
                return self._reply(200, {"ResultCode": code, "ResultMessage": message})
            if path == "/ministry/result":
                if data.get("Token") != province.token:
                    return self._reply(200, {"ResultCode": "3003", "Results": []})
                refs = data.get("MessageReferenceNumbers") or []
                rows = [
                    dict(
                        zip(("Status", "ResultCode", "ResultMessage"), province.verdict(r), strict=True),
                        MessageReferenceNumber=r,
                    )
                    for r in refs
                ]
                return self._reply(200, {"ResultCode": "1001", "Results": rows})
            return self._shaanxi(path, data)

        def _shaanxi(self, path, data):
            if not path.startswith("/shaanxi/") or not shaanxi_checked(province, data):
                return self._reply(200, {"code": "401" if "token" in data else "3003", "msg": "sign or token"})
            if path == "/shaanxi/login":
                token = secrets.token_hex(16)
                province.sessions.add(token)
                return self._reply(200, {"code": "1001", "token": token})
            if path == "/shaanxi/upload":
                key, iv = shaanxi_keys(province.token)
                try:
                    body = json.loads(crypto.aes128_decrypt(key, base64.b64decode(data["content"]), iv))
                except Exception:  # noqa: BLE001
                    return self._reply(200, {"code": "3002", "msg": "content could not be decrypted"})
                code, message = province.receive(data["ref"], data["docType"], body)
                province.stall(data["docType"])
                return self._reply(200, {"code": code, "msg": message})
            if path == "/shaanxi/result":
                refs = [r for r in data.get("refs", "").split(",") if r]
                rows = [dict(zip(("status", "code", "msg"), province.verdict(r), strict=True), ref=r) for r in refs]
                return self._reply(200, {"code": "1001", "results": rows})
            return self._reply(404, {"code": "404"})

        def do_GET(self):
            if self.path.startswith("/admin/uploads"):
                with province.lock:
                    items = [dict(u, verdict=province.verdicts.get(u["ref"])) for u in province.uploads.values()]
                return self._reply(200, {"items": items})
            return self._reply(200, {"sandbox": "province", "uploads": len(province.uploads)})

    return Handler


class ProvinceSandbox:
    """The sandbox in its own process on a free loopback port, with a fresh SM2 key and token, stopped by PID."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.private_key, self.public_key = crypto.sm2_keypair()
        self.token = secrets.token_hex(16)
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def env(self):
        """The app's settings that point the regulatory feed at this sandbox."""
        return {"REGFEED_URL": self.url, "REGFEED_TOKEN": self.token, "REGFEED_PUBLIC_KEY": self.public_key}

    def start(self, timeout=15):
        command = [sys.executable, "-m", "backend.localstore.province_sandbox", "--port", str(self.port)]
        env = dict(os.environ, PROVINCE_SANDBOX_KEY=self.private_key, PROVINCE_SANDBOX_TOKEN=self.token)
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"province sandbox exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(self.url + "/", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("province sandbox did not start in time")

    def _call(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.load(reply)

    def script(self, **rule):
        """Script what the next matching uploads meet (see the module docstring)."""
        return self._call("/admin/script", rule)

    def uploads(self):
        """Every upload received (decrypted body, its verdict), in arrival order."""
        return self._call("/admin/uploads")["items"]

    stop = DynamoDBLocal.stop


def main():
    parser = argparse.ArgumentParser(description="Local province monitoring sandbox (WLHY documents)")
    parser.add_argument("--port", type=int, default=8005)
    port = parser.parse_args().port
    province = Province(os.environ["PROVINCE_SANDBOX_KEY"], os.environ["PROVINCE_SANDBOX_TOKEN"])
    ThreadingHTTPServer(("127.0.0.1", port), handler_for(province)).serve_forever()


if __name__ == "__main__":
    main()

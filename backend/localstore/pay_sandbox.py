"""A local payment provider: hosted payment page, signed asynchronous notifications, query and refund.

    PAY_SANDBOX_KEY=... .venv/bin/python -m backend.localstore.pay_sandbox --port 8003

The app's sandbox adapter (backend/payments/providers/sandbox.py) calls it as an adapter calls WeChat Pay or
Alipay; both directions are signed with HMAC-SHA256 under PAY_SANDBOX_KEY (the scheme is in that module).
The buyer opens GET /pay/<id> and presses 支付 / Pay; the sandbox then POSTs a signed notification to the
order's notify URL, retrying (up to 4 sends) until it gets a 2xx. Tests make it misbehave through the
confirm's query string or form: delay_ms (wait before the first send), duplicates (extra copies), hold
(keep it until POST /admin/release, which can send held ones in reverse: out of order) and drop (never
send: a lost notification, found by reconciliation). GET /admin/notifications lists what was sent.
Loopback only; state in memory.
"""

import argparse
import html
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from backend.localstore.dynamodb_local import REPO_ROOT, DynamoDBLocal, free_port
from backend.payments.providers.sandbox import signed_headers, verify

SENDS = 4  # a notification not answered 2xx is sent again, like the real providers do
RETRY_SECONDS = 0.5


class Book:
    """Payments by order id, held and sent notifications (thread-safe)."""

    def __init__(self, key):
        self.key, self.lock = key, threading.Lock()
        self.payments, self.by_id, self.held, self.sent = {}, {}, [], []

    def create(self, fields):
        with self.lock:
            existing = self.payments.get(fields["order_id"])
            if existing and existing["status"] != "created":
                return existing
            payment = dict(existing or {}, **fields, status="created")
            payment.setdefault("payment_id", "sp_" + secrets.token_hex(8))
            self.payments[fields["order_id"]] = payment
            self.by_id[payment["payment_id"]] = payment
            return payment

    def confirm(self, payment_id):
        """The buyer pressed Pay: (payment, notification) or (payment, None) when already paid."""
        with self.lock:
            payment = self.by_id.get(payment_id)
            if payment is None or payment["status"] != "created":
                return payment, None
            payment.update(status="paid", transaction_id="st_" + secrets.token_hex(10), paid_at=int(time.time()))
            return payment, notification(payment)


def notification(payment):
    return {
        "notify_id": "sn_" + secrets.token_hex(8),
        "event": "payment",
        "order_id": payment["order_id"],
        "status": "paid",
        "transaction_id": payment["transaction_id"],
        "amount_fen": payment["amount_fen"],
    }


def send(book, url, note):
    """POST the signed notification until it is answered 2xx (or SENDS are used up)."""
    body = json.dumps(note, separators=(",", ":"), sort_keys=True)
    for attempt in range(SENDS):
        status = None
        try:
            request = urllib.request.Request(url, data=body.encode(), headers=signed_headers(book.key, body))
            with urllib.request.urlopen(request, timeout=10) as reply:
                status = reply.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        with book.lock:
            book.sent.append(dict(note, reply_status=status, attempt=attempt, at=time.time()))
        if status and 200 <= status < 300:
            return
        time.sleep(RETRY_SECONDS)


def dispatch(book, payment, note, options):
    """Send now, later, several times, or keep it held, as the confirm asked."""
    if options.get("drop"):
        return
    if options.get("hold"):
        with book.lock:
            book.held.append((payment["notify_url"], note))
        return
    copies = 1 + int(options.get("duplicates") or 0)
    delay = int(options.get("delay_ms") or 0) / 1000

    def run():
        time.sleep(delay)
        for _ in range(copies):
            send(book, payment["notify_url"], dict(note))

    threading.Thread(target=run, daemon=True).start()


def handler_for(book):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def _reply(self, status, body, content_type="application/json", headers=()):
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type + "; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _body(self):
            return self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()

        def _signed_json(self):
            body = self._body()
            try:
                verify(book.key, self.headers, body)
            except Exception:  # noqa: BLE001 - any failure is the same refusal
                return None
            return json.loads(body or "{}")

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path.startswith("/pay/") and url.path.endswith("/confirm"):
                return self._confirm(url)
            if url.path == "/admin/release":
                return self._release()
            data = self._signed_json()
            if data is None:
                return self._reply(401, {"code": "SIGN_ERROR", "message": "bad signature"})
            if url.path == "/v1/payments":
                payment = book.create({k: data[k] for k in ("order_id", "amount_fen", "description", "notify_url")})
                payment["return_url"] = data.get("return_url")
                host = self.headers.get("Host")
                return self._reply(
                    201, {"payment_id": payment["payment_id"], "pay_url": f"http://{host}/pay/{payment['payment_id']}"}
                )
            if url.path == "/v1/payments/query":
                payment = book.payments.get(data.get("order_id"))
                if payment is None:
                    return self._reply(200, {"found": False})
                keys = ("order_id", "status", "transaction_id", "amount_fen", "refunded_fen")
                return self._reply(200, dict({k: payment.get(k) for k in keys}, found=True))
            if url.path == "/v1/refunds":
                return self._refund(data)
            return self._reply(404, {"code": "NOT_FOUND"})

        def _refund(self, data):
            with book.lock:
                payment = book.payments.get(data.get("order_id"))
                if payment is None or payment["status"] not in ("paid", "refunded"):
                    return self._reply(409, {"code": "NOT_PAID"})
                refunds = payment.setdefault("refunds", {})
                if data["refund_id"] not in refunds:
                    if payment.get("refunded_fen", 0) + data["amount_fen"] > payment["amount_fen"]:
                        return self._reply(409, {"code": "REFUND_TOO_LARGE"})
                    refunds[data["refund_id"]] = data["amount_fen"]
                    payment["refunded_fen"] = payment.get("refunded_fen", 0) + data["amount_fen"]
                    payment["status"] = "refunded" if payment["refunded_fen"] == payment["amount_fen"] else "paid"
            return self._reply(200, {"refund_id": data["refund_id"], "status": "success"})

        def _confirm(self, url):
            payment_id = url.path.split("/")[2]
            options = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
            options.update({k: v[-1] for k, v in urllib.parse.parse_qs(self._body()).items()})
            payment, note = book.confirm(payment_id)
            if payment is None:
                return self._reply(404, {"code": "NOT_FOUND"})
            if note:
                dispatch(book, payment, note, options)
            back = payment.get("return_url")
            if back and not options.get("json"):
                return self._reply(303, "", "text/plain", headers=[("Location", back)])
            return self._reply(200, {"order_id": payment["order_id"], "status": payment["status"]})

        def _release(self):
            data = json.loads(self._body() or "{}")
            with book.lock:
                held = [h for h in book.held if data.get("order_id") in (None, h[1]["order_id"])]
                book.held = [h for h in book.held if h not in held]
            for notify_url, note in reversed(held) if data.get("reverse") else held:
                send(book, notify_url, note)
            return self._reply(200, {"released": len(held)})

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/admin/notifications":
                order = urllib.parse.parse_qs(url.query).get("order_id", [None])[0]
                with book.lock:
                    items = [n for n in book.sent if order in (None, n["order_id"])]
                return self._reply(200, {"items": items})
            if url.path == "/":
                return self._reply(200, overview(list(book.payments.values())), "text/html")
            if url.path.startswith("/pay/"):
                payment = book.by_id.get(url.path.split("/")[2])
                if payment is None:
                    return self._reply(404, "<h1>no such payment</h1>", "text/html")
                return self._reply(200, page(payment, url.query), "text/html")
            return self._reply(404, {"code": "NOT_FOUND"})

    return Handler


def page(payment, query):
    """The hosted payment page: what is paid for and one button."""
    amount = f"¥{payment['amount_fen'] // 100}.{payment['amount_fen'] % 100:02d}"
    action = html.escape(f"/pay/{payment['payment_id']}/confirm" + (f"?{query}" if query else ""))
    done = payment["status"] != "created"
    button = "<p id=status>已支付 / Paid</p>" if done else "<button id=pay type=submit>支付 / Pay</button>"
    return (
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        "<title>Sandbox pay</title><h1>沙箱收银台 / Sandbox checkout</h1>"
        f"<p>{html.escape(payment['description'])}</p><p id=amount><b>{amount}</b></p>"
        f"<form method=post action='{action}'>{button}</form>"
    )


def overview(payments):
    """The newest payments, each linking to its hosted page (for a person running the demo)."""
    rows = "".join(
        f"<tr><td><a href='/pay/{html.escape(p['payment_id'])}'>{html.escape(p['order_id'])}</a></td>"
        f"<td>{p['amount_fen'] / 100:.2f}</td><td>{html.escape(p['status'])}</td></tr>"
        for p in reversed(payments[-50:])
    )
    return (
        "<!doctype html><meta charset=utf-8><title>Pay sandbox</title><h1>支付沙箱 (local)</h1>"
        f"<table border=1 cellpadding=4><tr><th>order</th><th>yuan</th><th>status</th></tr>{rows}</table>"
    )


def serve(port, key):
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(Book(key)))
    server.serve_forever()


class PaySandbox:
    """The sandbox in its own process on a free loopback port with a fresh key, stopped by PID."""

    def __init__(self, port=None, key=None):
        self.port, self.key = port or free_port(), key or secrets.token_hex(32)
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=15):
        command = [sys.executable, "-m", "backend.localstore.pay_sandbox", "--port", str(self.port)]
        env = dict(os.environ, PAY_SANDBOX_KEY=self.key)
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"payment sandbox exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(self.url + "/admin/notifications", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("payment sandbox did not start in time")

    def notifications(self, order_id=None):
        """The notifications sent (each send, with the reply status it got), oldest first."""
        query = "?" + urllib.parse.urlencode({"order_id": order_id}) if order_id else ""
        with urllib.request.urlopen(self.url + "/admin/notifications" + query, timeout=5) as reply:
            return json.load(reply)["items"]

    def release(self, order_id=None, reverse=False):
        """Send the held notifications (of one order, or all), in reverse order when asked."""
        body = json.dumps({"order_id": order_id, "reverse": reverse}).encode()
        request = urllib.request.Request(self.url + "/admin/release", data=body, method="POST")
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.load(reply)["released"]

    stop = DynamoDBLocal.stop


def main():
    parser = argparse.ArgumentParser(description="Local payment sandbox (hosted page, signed notifications)")
    parser.add_argument("--port", type=int, default=8003)
    serve(parser.parse_args().port, os.environ["PAY_SANDBOX_KEY"])


if __name__ == "__main__":
    main()

"""A local stand-in for Aliyun SMS: accepts the SDK's SendSms call and keeps the messages to be read back.

    .venv/bin/python -m backend.localstore.sms_sink --port 8002

The Aliyun adapter (backend/notifications/sms.py) pointed at this server sends exactly what it would send to
dysmsapi.aliyuncs.com; the run banner links GET / (the last messages as a page, for a demo user reading their
code) and tests read GET /messages?phone=... (JSON). QuerySendDetails answers delivery reports (delivered, or
failed for a number POST /admin/fail marked unreachable; the same switch refuses a number's next N sends, for
tests of retries). Loopback only: it never signs anything and keeps no file.
"""

import argparse
import html
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from backend.localstore.dynamodb_local import REPO_ROOT, DynamoDBLocal, free_port

KEPT = 500  # newest messages kept in memory; older ones are dropped


class Outbox:
    """The messages received, newest last (thread-safe: the server handles requests on threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        self.failing = {}  # phone -> how many more SendSms to refuse (tests of retries)
        self.unreachable = set()  # phones whose delivery report says "failed" (tests of receipts)

    def refuse(self, phone):
        """True (and one fewer left) when a send to this phone is to be refused."""
        with self.lock:
            if self.failing.get(phone, 0) > 0:
                self.failing[phone] -= 1
                return True
            return False

    def report(self, phone, biz_id):
        """QuerySendDetails' record of a sent message: delivered (3), or failed (2) for an unreachable phone."""
        with self.lock:
            sent = [m for m in self.messages if m["biz_id"] == biz_id and phone in m["phone_numbers"].split(",")]
            down = phone in self.unreachable
        return [
            {
                "PhoneNum": phone,
                "SendStatus": 2 if down else 3,
                "ErrCode": "MOBILE_NOT_ON_SERVICE" if down else "DELIVERED",
                "TemplateCode": m["template_code"],
                "Content": json.dumps(m["template_param"], ensure_ascii=False),
                "SendDate": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(m["received_at"] / 1000)),
                "ReceiveDate": time.strftime("%Y-%m-%d %H:%M:%S"),
            }
            for m in sent
        ]

    def add(self, message):
        with self.lock:
            self.messages.append(message)
            del self.messages[:-KEPT]

    def find(self, phone=None):
        with self.lock:
            return [m for m in self.messages if phone is None or phone in m["phone_numbers"].split(",")]


def send_sms_params(query, body, headers):
    """The SendSms fields from wherever the SDK put them (query string, form body or JSON body)."""
    params = {k: v[-1] for k, v in urllib.parse.parse_qs(query).items()}
    kind = headers.get("Content-Type", "")
    if body and "json" in kind:
        params.update(json.loads(body))
    elif body:
        params.update({k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()})
    params.setdefault("Action", headers.get("x-acs-action", ""))
    return params


def _message(params):
    try:
        template_param = json.loads(params.get("TemplateParam") or "{}")
    except ValueError:
        template_param = {"raw": params.get("TemplateParam")}
    return {
        "phone_numbers": params.get("PhoneNumbers", ""),
        "sign_name": params.get("SignName", ""),
        "template_code": params.get("TemplateCode", ""),
        "template_param": template_param,
        "received_at": int(time.time() * 1000),
        "biz_id": uuid.uuid4().hex,
    }


def handler_for(outbox):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):  # quiet: the run's console is for the app
            pass

        def _reply(self, status, body, content_type="application/json"):
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type + "; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if url.path == "/admin/fail":  # tests: refuse the next N sends to a phone, or report it unreachable
                order = json.loads(body or b"{}")
                with outbox.lock:
                    outbox.failing[order["phone"]] = int(order.get("times", 1))
                    if order.get("unreachable"):
                        outbox.unreachable.add(order["phone"])
                return self._reply(200, {"ok": True})
            params = send_sms_params(url.query, body, self.headers)
            if params.get("Action") == "QuerySendDetails":
                found = outbox.report(params.get("PhoneNumber", ""), params.get("BizId", ""))
                return self._reply(
                    200,
                    {
                        "Code": "OK",
                        "Message": "OK",
                        "RequestId": uuid.uuid4().hex,
                        "TotalCount": len(found),
                        "SmsSendDetailDTOs": {"SmsSendDetailDTO": found},
                    },
                )
            if params.get("Action") == "SendSms" and outbox.refuse(params.get("PhoneNumbers", "")):
                return self._reply(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "refused (sink test switch)"})
            if params.get("Action") != "SendSms" or not params.get("PhoneNumbers"):
                return self._reply(400, {"Code": "isv.INVALID_PARAMETERS", "Message": "SendSms with PhoneNumbers"})
            message = _message(params)
            outbox.add(message)
            request_id = uuid.uuid4().hex
            return self._reply(
                200, {"Code": "OK", "Message": "OK", "BizId": message["biz_id"], "RequestId": request_id}
            )

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            phone = urllib.parse.parse_qs(url.query).get("phone", [None])[0]
            if url.path == "/messages":
                return self._reply(200, {"items": outbox.find(phone)})
            if url.path == "/":
                return self._reply(200, _page(outbox.find(phone)), "text/html")
            return self._reply(404, {"Code": "NotFound"})

    return Handler


def phone_text(message):
    """What the phone would show: the demo templates (SMS_<KIND>_<ZH|EN>) filled in as Aliyun fills the
    approved ones, after the signature; a code shown as-is when it names no notification kind."""
    from backend.notifications import catalog

    code, params = message["template_code"], message["template_param"] or {}
    kind, _, lang = code.removeprefix("SMS_").lower().rpartition("_")
    if kind in catalog.KINDS and lang in ("zh", "en"):
        title, body = catalog.text(kind, params, lang)
        return f"【{message['sign_name']}】{title}: {body}"
    if "code" in params:
        return f"【{message['sign_name']}】验证码 {params['code']}，5 分钟内有效 · code {params['code']} (5 min)"
    return f"【{message['sign_name']}】{code} {json.dumps(params, ensure_ascii=False)}"


def _page(messages):
    rows = "".join(
        f"<tr><td>{html.escape(m['phone_numbers'])}</td><td>{html.escape(m['template_code'])}</td>"
        f"<td><b>{html.escape(phone_text(m))}</b></td></tr>"
        for m in reversed(messages[-50:])
    )
    return (
        "<!doctype html><meta charset=utf-8><title>SMS sink</title><h1>短信 (local sink)</h1>"
        f"<table border=1 cellpadding=4><tr><th>phone</th><th>template</th><th>what the phone shows</th></tr>"
        f"{rows}</table>"
    )


def serve(port):
    """Serve on 127.0.0.1:port until killed."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(Outbox()))
    server.serve_forever()


class SmsSink:
    """The sink in its own process on a free loopback port, started and stopped by PID."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=15):
        command = [sys.executable, "-m", "backend.localstore.sms_sink", "--port", str(self.port)]
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"SMS sink exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(self.url + "/messages", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("SMS sink did not start in time")

    def messages(self, phone=None):
        """What the sink received (for one number when given), oldest first."""
        query = "?" + urllib.parse.urlencode({"phone": phone}) if phone else ""
        with urllib.request.urlopen(self.url + "/messages" + query, timeout=5) as reply:
            return json.load(reply)["items"]

    def fail_next(self, phone, times=1, unreachable=False):
        """Refuse the next `times` sends to a phone (and report it unreachable when asked)."""
        body = json.dumps({"phone": phone, "times": times, "unreachable": unreachable}).encode()
        request = urllib.request.Request(self.url + "/admin/fail", data=body, method="POST")
        urllib.request.urlopen(request, timeout=5).close()

    stop = DynamoDBLocal.stop  # the same by-PID stop (SIGTERM, then SIGKILL) as the store's


def main():
    parser = argparse.ArgumentParser(description="Local SMS sink (Aliyun SendSms stand-in)")
    parser.add_argument("--port", type=int, default=8002)
    serve(parser.parse_args().port)


if __name__ == "__main__":
    main()

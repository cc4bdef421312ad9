"""Webhooks end to end: a real receiver (an HTTP server this test starts), waybill moves through the real
transition, the delivery job, signatures checked by an independent implementation, retries, resend, rotation."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend.common.clock import now_ms
from backend.waybills import service as waybills
from backend.webhooks import service as webhooks
from tests.appointments.builders import make_mine, make_waybill
from tests.builders import headers_for, make_org, make_user

HOUR = 3600_000


class Receiver:
    """A shipper's ERP endpoint: records every POST (headers, raw body); answers `status[path]` (200 default)."""

    def __init__(self):
        self.received, self.status = [], {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append(
                    {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                self.send_response(receiver.status.get(self.path, 200))
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def to(self, path):
        return [r for r in self.received if r["path"] == path]


@pytest.fixture(scope="module")
def receiver():
    server = Receiver()
    yield server
    server.server.shutdown()


@pytest.fixture()
def loopback(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_HTTP_LOOPBACK", True)


def verify(secret, headers, body, *, now_s, tolerance_s=300):
    """The receiver's side, as README.md documents it (written here without the server's code); header names
    are lower-cased, as HTTP treats them case-insensitively."""
    timestamp = headers["x-coalhaul-timestamp"]
    if abs(now_s - int(timestamp)) > tolerance_s:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    offered = [part.split("=", 1)[1] for part in headers["x-coalhaul-signature"].split(",") if part.startswith("v1=")]
    return any(hmac.compare_digest(expected, sig) for sig in offered)


def shipper_world(client, receiver, path, events=("arrived", "received")):
    shipper_org = make_org("shipper").org_id
    shipper = make_user("shipper", org_id=shipper_org)
    reply = client.post(
        "/api/webhooks", json={"url": receiver.url + path, "events": list(events)}, headers=headers_for(shipper)
    )
    assert reply.status_code == 201, reply.json
    waybill = make_waybill(make_mine().mine_id, state="in_transit")
    waybill.update(actions=[type(waybill).shipper_id.set(shipper_org)])
    return shipper, reply.json, waybill


def arrive(waybill, at):
    return waybills.transition(
        waybill_id=waybill.waybill_id, action="arrive", actor=waybills.SystemActor("test"), now_ms=at
    )


def test_a_move_is_delivered_once_signed_and_verifiable_by_the_receiver(app, client, receiver, loopback):
    with app.app_context():
        shipper, hook, waybill = shipper_world(client, receiver, "/erp-a")
        at = now_ms()
        arrive(waybill, at)
        webhooks.run(now_ms=at, mine_ids=[waybill.mine_id])
        webhooks.run(now_ms=at + 60_000, mine_ids=[waybill.mine_id])  # the job again: nothing new

    [got] = receiver.to("/erp-a")
    event = json.loads(got["body"])
    assert event["type"] == "waybill.arrived" and event["data"]["waybill_id"] == waybill.waybill_id
    assert got["headers"]["x-coalhaul-event-id"] == event["id"]
    assert verify(hook["secret"], got["headers"], got["body"], now_s=at // 1000)
    assert not verify("whsec_wrong", got["headers"], got["body"], now_s=at // 1000)
    assert not verify(hook["secret"], got["headers"], got["body"] + b" ", now_s=at // 1000)
    log = client.get(f"/api/webhooks/{hook['id']}/deliveries", headers=headers_for(shipper)).json["items"]
    assert [(d["status"], d["attempts"], d["last_status"]) for d in log] == [("delivered", 1, 200)]
    assert "secret" not in client.get("/api/webhooks", headers=headers_for(shipper)).json["items"][0]


def test_a_failing_receiver_is_retried_with_backoff_then_a_person_resends(app, client, receiver, loopback):
    receiver.status["/erp-b"] = 500
    with app.app_context():
        shipper, hook, waybill = shipper_world(client, receiver, "/erp-b")
        at = now_ms()
        arrive(waybill, at)
        webhooks.run(now_ms=at, mine_ids=[waybill.mine_id])
        base = app.config["WEBHOOK_RETRY_BASE_SECONDS"] * 1000
        webhooks.run(now_ms=at + base - 1000, mine_ids=[waybill.mine_id])  # not yet due
        assert len(receiver.to("/erp-b")) == 1
        webhooks.run(now_ms=at + base, mine_ids=[waybill.mine_id])
        webhooks.run(now_ms=at + base + 2 * base, mine_ids=[waybill.mine_id])
        assert len(receiver.to("/erp-b")) == 3
        webhooks.run(now_ms=at + 25 * HOUR, mine_ids=[waybill.mine_id])  # past the 24 h: the last try, then failed
        [delivery] = client.get(f"/api/webhooks/{hook['id']}/deliveries", headers=headers_for(shipper)).json["items"]
        assert delivery["status"] == "failed" and delivery["attempts"] == 4 and delivery["last_status"] == 500
        webhooks.run(now_ms=at + 26 * HOUR, mine_ids=[waybill.mine_id])
        assert len(receiver.to("/erp-b")) == 4

    receiver.status["/erp-b"] = 204
    resent = client.post(f"/api/webhooks/{hook['id']}/deliveries/{delivery['id']}/resend", headers=headers_for(shipper))
    assert resent.status_code == 200 and resent.json["status"] == "delivered"
    bodies = {r["body"] for r in receiver.to("/erp-b")}
    assert len(bodies) == 1  # the same event (same id) every time: the receiver dedups by it


def test_rotation_signs_with_both_secrets_until_the_overlap_ends(app, client, receiver, loopback):
    with app.app_context():
        shipper, hook, waybill = shipper_world(client, receiver, "/erp-c")
    rotated = client.post(f"/api/webhooks/{hook['id']}/rotate", headers=headers_for(shipper)).json
    assert rotated["secret"] != hook["secret"]
    with app.app_context():
        at = now_ms()
        arrive(waybill, at)
        webhooks.run(now_ms=at, mine_ids=[waybill.mine_id])
        [got] = receiver.to("/erp-c")
        assert verify(hook["secret"], got["headers"], got["body"], now_s=at // 1000)  # old: still accepted
        assert verify(rotated["secret"], got["headers"], got["body"], now_s=at // 1000)
        from backend.webhooks import signing, store

        later = at + 25 * HOUR
        subscription = store.get_subscription(shipper.org_id, hook["id"])
        headers = {k.lower(): v for k, v in signing.headers(subscription, "ev", b"{}", later).items()}
        assert verify(rotated["secret"], headers, b"{}", now_s=later // 1000)
        assert not verify(hook["secret"], headers, b"{}", now_s=later // 1000)


def test_events_nobody_subscribed_to_are_not_sent_and_other_tenants_see_nothing(app, client, receiver, loopback):
    with app.app_context():
        shipper, hook, waybill = shipper_world(client, receiver, "/erp-d", events=("settled",))
        at = now_ms()
        arrive(waybill, at)
        webhooks.run(now_ms=at, mine_ids=[waybill.mine_id])
        other = make_user("shipper", org_id=make_org("shipper").org_id)
    assert receiver.to("/erp-d") == []
    assert client.get(f"/api/webhooks/{hook['id']}/deliveries", headers=headers_for(other)).status_code == 404
    assert client.get("/api/webhooks", headers=headers_for(other)).json["items"] == []


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "http://erp.example.com/x", "events": ["arrived"]}, "url"),
        ({"url": "https://10.0.0.8/x", "events": ["arrived"]}, "url"),
        ({"url": "https://erp.example.com/x", "events": ["exploded"]}, "events"),
        ({"url": "https://erp.example.com/x", "events": []}, "events"),
    ],
)
def test_bad_subscriptions_are_refused_naming_the_field(app, client, body, field):
    with app.app_context():
        shipper = make_user("shipper", org_id=make_org("shipper").org_id)
    reply = client.post("/api/webhooks", json=body, headers=headers_for(shipper))
    assert reply.status_code == 400 and field in reply.json["error"]["details"]["fields"]


def test_the_loaded_event_carries_the_net_weight_and_racing_jobs_send_it_once(app, client, receiver, loopback):
    from concurrent.futures import ThreadPoolExecutor

    with app.app_context():
        shipper, hook, waybill = shipper_world(client, receiver, "/erp-e", events=("loaded",))
        waybill.update(actions=[type(waybill).state.set("tare_weighed")])
        at = now_ms()
        waybills.transition(
            waybill_id=waybill.waybill_id,
            action="weigh_gross",
            actor=waybills.SystemActor("scale", "device"),
            now_ms=at,
            changes={"gross_kg": 49_000, "net_kg": 34_200},
        )
        from backend.webhooks import store

        for event in store.due(f"event#{waybill.mine_id}", now_ms=at, limit=10):
            webhooks.fan_out(event, now_ms=at)  # the delivery exists, due now: four job runs race for it

    def job(_):
        with app.app_context():
            return webhooks.run(now_ms=at + 1, mine_ids=[waybill.mine_id])

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(job, range(4)))
    [got] = receiver.to("/erp-e")
    event = json.loads(got["body"])
    assert event["type"] == "waybill.loaded" and event["data"]["net_kg"] == 34_200


def test_a_buyer_s_own_system_gets_the_loads_it_bought(app, client, receiver, loopback):
    with app.app_context():
        buyer = make_user("buyer")
        reply = client.post(
            "/api/webhooks",
            json={"url": receiver.url + "/buyer-erp", "events": ["arrived"]},
            headers=headers_for(buyer),
        )
        assert reply.status_code == 201
        waybill = make_waybill(make_mine().mine_id, state="in_transit")
        waybill.update(actions=[type(waybill).buyer_id.set(buyer.user_id)])
        at = now_ms()
        arrive(waybill, at)
        webhooks.run(now_ms=at, mine_ids=[waybill.mine_id])
    [got] = receiver.to("/buyer-erp")
    assert json.loads(got["body"])["data"]["waybill_id"] == waybill.waybill_id
    assert verify(reply.json["secret"], got["headers"], got["body"], now_s=at // 1000)

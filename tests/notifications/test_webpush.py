"""Web Push for a closed app: a fake push service on loopback checks the VAPID JWT and decrypts what it gets."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from backend.appointments.booking import service as booking
from backend.appointments.checkin import service as checkin
from backend.common.clock import now_ms
from backend.notifications import service as push
from backend.notifications import webpush
from backend.notifications.models import PushSubscription
from tests.appointments.builders import GATE, Crew, make_mine, make_slot
from tests.builders import headers_for, make_user

MIN = 60_000
SUBJECT = "mailto:dispatch@coalhaul.test"


class FakePushService:
    """A push service on 127.0.0.1 that records every POST and answers a status chosen per path."""

    def __init__(self):
        self.received, self.status = [], {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.received.append({"path": self.path, "headers": self.headers, "body": body})
                self.send_response(service.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, path):
        return [r for r in self.received if r["path"] == path]


class Browser:
    """What a browser keeps for one subscription: its ECDH key pair and auth secret."""

    def __init__(self, endpoint):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = webpush.os.urandom(16)
        self.endpoint = endpoint
        self.json = {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": webpush.b64url(webpush.public_bytes(self.key)), "auth": webpush.b64url(self.auth)},
        }

    def decrypt(self, body):
        """RFC 8291 §3.4 / RFC 8188 on the receiving side: one record, delimiter 0x02 then zero padding."""
        salt, record_size, id_len = body[:16], int.from_bytes(body[16:20], "big"), body[20]
        server_public = body[21 : 21 + id_len]
        assert record_size >= len(body) - 21 - id_len  # one record
        ua_public = webpush.public_bytes(self.key)
        secret = self.key.exchange(
            ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), server_public)
        )
        ikm = _hkdf(self.auth, secret, b"WebPush: info\x00" + ua_public + server_public, 32)
        cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        padded = AESGCM(cek).decrypt(nonce, body[21 + id_len :], None).rstrip(b"\x00")
        assert padded.endswith(b"\x02"), "the last record ends with the 0x02 delimiter"
        return json.loads(padded[:-1])


def _hkdf(salt, ikm, info, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def verified_vapid(request, origin):
    """Check the Authorization header the way a push service does; return the claims and the key."""
    scheme, _, params = request["headers"]["Authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), webpush.b64url_decode(fields["k"]))
    claims = jwt.decode(fields["t"], public, algorithms=["ES256"], audience=origin)  # raises on a bad signature
    assert claims["exp"] <= time.time() + 24 * 3600 and claims["sub"] == SUBJECT
    return claims, fields["k"]


@pytest.fixture()
def push_service():
    service = FakePushService()
    yield service
    service.server.shutdown()
    service.server.server_close()


@pytest.fixture()
def vapid(app, monkeypatch):
    private, public = webpush.generate_keys()
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", private)
    monkeypatch.setitem(app.config, "VAPID_SUBJECT", SUBJECT)
    monkeypatch.setitem(app.config, "PUSH_ALLOW_HTTP_LOOPBACK", True)
    return public


@pytest.fixture()
def mine(app):
    with app.app_context():
        yield make_mine()


def checked_in_crew(client, mine, browser):
    """A driver who booked, subscribed this browser through the API, and is checked in at the fence."""
    crew = Crew(mine.mine_id)
    slot = make_slot(mine.mine_id, start_ms=now_ms() + 20 * MIN)
    crew.booking = booking.book(principal=crew.actor, waybill_id=crew.waybill.waybill_id, slot_id=slot, now_ms=now_ms())
    reply = client.post("/api/appointments/push/subscriptions", json=browser.json, headers=headers_for(crew.user))
    assert reply.status_code == 201
    for at in (now_ms() - 20_000, now_ms() - 5_000):
        checkin.process_fix(
            vehicle_id=crew.vehicle.vehicle_id, lon=GATE[0], lat=GATE[1], accuracy_m=8, at_ms=at, now_ms=at
        )
    return crew


def test_calling_next_one_pushes_to_the_called_driver_only(client, mine, push_service, vapid):
    first_browser, second_browser = Browser(f"{push_service.origin}/push/a"), Browser(f"{push_service.origin}/push/b")
    first = checked_in_crew(client, mine, first_browser)
    checked_in_crew(client, mine, second_browser)
    gate = make_user("gate", mine_id=mine.mine_id)

    called = client.post(f"/api/appointments/mines/{mine.mine_id}/call", json={"count": 1}, headers=headers_for(gate))

    assert [b["id"] for b in called.json["items"]] == [first.booking.booking_id]
    assert push_service.to("/push/b") == []
    [message] = push_service.to("/push/a")
    claims, key = verified_vapid(message, push_service.origin)
    assert key == vapid == client.get("/api/appointments/push/key", headers=headers_for(first.user)).json["public_key"]
    assert message["headers"]["Content-Encoding"] == "aes128gcm" and message["headers"]["Urgency"] == "high"
    assert int(message["headers"]["TTL"]) > 0
    payload = first_browser.decrypt(message["body"])
    assert payload["type"] == "called" and payload["booking_id"] == first.booking.booking_id
    assert "已叫号" in payload["title"] and payload["url"] == "/#/queue"
    with pytest.raises(InvalidTag):
        second_browser.decrypt(message["body"])  # only the called driver's browser can read it


def test_a_gone_subscription_is_deleted_and_a_busy_service_keeps_it(app, push_service, vapid):
    with app.app_context():
        driver = make_user("driver")
        gone, busy = Browser(f"{push_service.origin}/push/gone"), Browser(f"{push_service.origin}/push/busy")
        push_service.status.update({"/push/gone": 410, "/push/busy": 503})
        for browser in (gone, busy):
            push.subscribe(user_id=driver.user_id, subscription=browser.json, now_ms=now_ms())

        delivered = push.notify(driver.user_id, {"type": "called", "booking_id": "bk_1", "deadline_ms": now_ms()})

        assert delivered == 0 and len(push_service.received) == 2
        assert [s.endpoint for s in PushSubscription.query(driver.user_id)] == [busy.endpoint]


def test_without_a_vapid_key_nothing_is_sent_and_no_key_is_offered(app, client, mine, push_service, monkeypatch):
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", "")
    monkeypatch.setitem(app.config, "PUSH_ALLOW_HTTP_LOOPBACK", True)
    crew = checked_in_crew(client, mine, Browser(f"{push_service.origin}/push/c"))
    assert client.get("/api/appointments/push/key", headers=headers_for(crew.user)).json["public_key"] is None
    gate = make_user("gate", mine_id=mine.mine_id)
    client.post(f"/api/appointments/mines/{mine.mine_id}/call", json={"count": 1}, headers=headers_for(gate))
    assert push_service.received == []


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.com/x",
        "https://169.254.169.254/latest",
        "https://localhost/x",
        "http://127.0.0.1:9/x",
        "ftp://push.example.com/x",
    ],
)
def test_subscribing_refuses_endpoints_that_are_not_push_services(client, app, endpoint, monkeypatch):
    monkeypatch.setitem(app.config, "PUSH_ALLOW_HTTP_LOOPBACK", False)
    with app.app_context():
        driver = make_user("driver")
        reply = client.post(
            "/api/appointments/push/subscriptions", json=Browser(endpoint).json, headers=headers_for(driver)
        )
    assert reply.status_code == 400 and "endpoint" in reply.json["error"]["details"]["fields"]


def test_subscribing_with_a_key_that_is_not_a_p256_point_names_keys(client, app):
    with app.app_context():
        driver = make_user("driver")
        subscription = Browser("https://fcm.googleapis.com/fcm/send/abc").json
        subscription["keys"]["p256dh"] = webpush.b64url(b"\x04" + b"\x01" * 64)
        reply = client.post("/api/appointments/push/subscriptions", json=subscription, headers=headers_for(driver))
    assert reply.status_code == 400 and "keys" in reply.json["error"]["details"]["fields"]


def test_encryption_matches_the_rfc_8291_example():
    server = webpush.load_private_key("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")
    body = webpush.encrypt(
        b"When I grow up, I want to be a watermelon",
        server_key=server,
        p256dh="BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        auth="BTBZMqHH6r4Tts7J_aSIgg",
        salt=webpush.b64url_decode("DGv6ra1nlYgDCS1FRnbzlw"),
    )
    assert webpush.b64url(body) == (
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBr"
        "u3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
    )


def test_generated_keys_load_as_raw_and_as_pem(capsys):
    assert webpush.main(["--generate-keys"]) == 0
    lines = capsys.readouterr().out.splitlines()
    private = lines[0].split("=", 1)[1]
    public = lines[1].rsplit(" ", 1)[1]
    key = webpush.load_private_key(private)
    assert webpush.b64url(webpush.public_bytes(key)) == public
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    assert webpush.b64url(webpush.public_bytes(webpush.load_private_key(pem))) == public


def test_a_payload_too_large_for_one_record_is_refused():
    browser = Browser("https://fcm.googleapis.com/fcm/send/abc")
    with pytest.raises(ValueError):
        webpush.encrypt(b"x" * (webpush.MAX_PAYLOAD + 1), **browser.json["keys"])

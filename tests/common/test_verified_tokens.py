"""Each token's signature is checked once per process; what is refused stays refused (expired, other key, forged)."""

import time
from datetime import timedelta

import flask_jwt_extended.jwt_manager as jwt_manager
import pytest
from flask_jwt_extended import create_access_token

from backend.auth import service as auth_service
from backend.extensions import jwt
from tests import builders

pytestmark = pytest.mark.usefixtures("app")
UNREAD = "/api/inbox/unread"


@pytest.fixture
def verifications(monkeypatch):
    """How many times a token's signature was checked."""
    checked = []
    decode = jwt_manager._decode_jwt

    def counting(**kwargs):
        checked.append(kwargs["encoded_token"])
        return decode(**kwargs)

    monkeypatch.setattr(jwt_manager, "_decode_jwt", counting)
    jwt.verified.clear()
    return checked


def bearer(user, **kwargs):
    token = create_access_token(identity=user.user_id, additional_claims=auth_service.token_claims(user), **kwargs)
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_verified_once_then_served_from_what_was_verified(client, verifications):
    headers = bearer(builders.make_user("driver"))
    for _ in range(5):
        assert client.get(UNREAD, headers=headers).status_code == 200
    assert len(verifications) == 1


def test_a_token_is_refused_once_it_expires_though_it_was_verified_before(client, verifications):
    headers = bearer(builders.make_user("driver"), expires_delta=timedelta(seconds=2))
    assert client.get(UNREAD, headers=headers).status_code == 200
    time.sleep(2.1)
    reply = client.get(UNREAD, headers=headers)
    assert reply.status_code == 401 and reply.json["error"]["code"] == "token_expired"


def test_a_token_verified_with_one_key_is_not_taken_under_another(app, client, verifications, monkeypatch):
    headers = bearer(builders.make_user("driver"))
    assert client.get(UNREAD, headers=headers).status_code == 200
    monkeypatch.setitem(app.config, "JWT_SECRET_KEY", "another-key-0123456789abcdef0123456789abcdef")
    reply = client.get(UNREAD, headers=headers)
    assert reply.status_code == 401 and reply.json["error"]["code"] == "invalid_token"


def test_a_forged_signature_is_refused_after_the_genuine_token_was_seen(client, verifications):
    headers = bearer(builders.make_user("driver"))
    assert client.get(UNREAD, headers=headers).status_code == 200
    token = headers["Authorization"].removeprefix("Bearer ")
    body, signature = token.rsplit(".", 1)
    forged = f"{body}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    reply = client.get(UNREAD, headers={"Authorization": f"Bearer {forged}"})
    assert reply.status_code == 401 and reply.json["error"]["code"] == "invalid_token"


def test_the_kept_tokens_are_bounded_least_recently_used_first():
    from backend.common.verified_tokens import VerifiedTokens

    kept = VerifiedTokens(size=2)
    later = time.time() + 60
    for token in ("a", "b"):
        kept.put(token, "k", {"exp": later})
    assert kept.get("a", "k", time.time())  # a is now the most recent
    kept.put("c", "k", {"exp": later})
    now = time.time()
    assert kept.get("b", "k", now) is None and kept.get("a", "k", now) and kept.get("c", "k", now)


def test_a_token_s_header_is_parsed_once_and_each_caller_gets_its_own_copy(client, monkeypatch):
    import flask_jwt_extended.view_decorators as view_decorators

    from backend.common import verified_tokens

    parsed = []
    parse = verified_tokens.get_unverified_jwt_headers

    def counting(token):
        parsed.append(token)
        return parse(token)

    monkeypatch.setattr(verified_tokens, "get_unverified_jwt_headers", counting)
    headers = bearer(builders.make_user("driver"))
    for _ in range(4):
        assert client.get(UNREAD, headers=headers).status_code == 200
    assert len(parsed) == 1
    token = headers["Authorization"].split()[1]
    first = view_decorators.get_unverified_jwt_headers(token)
    first["alg"] = "none"  # a caller changing its copy changes nobody else's
    assert view_decorators.get_unverified_jwt_headers(token)["alg"] == "HS256"
    assert client.get(UNREAD, headers={"Authorization": "Bearer not.a.token"}).status_code in (401, 422)

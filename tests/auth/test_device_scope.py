"""Issue 18: a stored reply must not be fetched by someone who only repeats the X-Device-Id, key and body.

The idempotency scope used to trust the X-Device-Id header on user requests (common/idempotency.py
`_principal_scope`), so anyone sending a victim's device id, Idempotency-Key and body got the victim's stored
reply (here: their order, address and price) without a token. Scopes now come from verified identities only.
"""

import uuid

from tests.builders import headers_for, make_user
from tests.orders.helpers import make_mine, retail_body


def test_a_stored_reply_is_not_replayed_to_someone_repeating_the_device_id(client):
    buyer, body = make_user("buyer"), retail_body(make_mine())
    device = {"X-Device-Id": "phone-" + uuid.uuid4().hex[:8], "Idempotency-Key": uuid.uuid4().hex}
    placed = client.post("/api/orders/retail", json=body, headers={**headers_for(buyer), **device})
    assert placed.status_code == 201
    stranger = client.post("/api/orders/retail", json=body, headers=device)  # no token at all
    assert stranger.status_code == 401 and "Idempotent-Replayed" not in stranger.headers
    other_buyer = client.post("/api/orders/retail", json=body, headers={**headers_for(make_user("buyer")), **device})
    assert other_buyer.status_code == 201 and other_buyer.json["id"] != placed.json["id"]

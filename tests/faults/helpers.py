"""A client that behaves as the PWA's outbox does: a 5xx or a dropped reply is sent again with the same key."""

import uuid

MAX_SENDS = 6


def send_until_answered(client, path, body, headers, *, method="post"):
    """(status, json, replayed, sends): resend on 5xx with the same Idempotency-Key until a 2xx/4xx answer."""
    headers = dict(headers, **{"Idempotency-Key": headers.get("Idempotency-Key") or uuid.uuid4().hex})
    for sends in range(1, MAX_SENDS + 1):
        reply = getattr(client, method)(path, json=body, headers=headers)
        if reply.status_code < 500:
            return reply.status_code, reply.json, reply.headers.get("Idempotent-Replayed") == "true", sends
    return reply.status_code, reply.json, False, sends

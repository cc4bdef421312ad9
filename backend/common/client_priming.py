"""The DynamoDB client's first call of each operation done while the container starts, answered in process.

botocore prepares an operation the first time it is called: its model and shapes, the serializer's and the
parser's walk of them, the endpoint rules evaluated, the event names resolved for its handlers. That is a few
milliseconds of CPU per operation, and a container's first request used to pay it for each operation it made
(about a third of what made it slower than a warm request). `prime` makes the calls a request makes while
Lambda initialises the container (its init phase runs at full CPU, and before any request when it is
initialised ahead of traffic), with every step botocore takes except the network: on this thread only, the
request is answered by a `before-send` handler with an empty 200 reply, as if from the store.

Only the priming thread gets the local answers; any other thread's request (the revocation prefetch,
backend/auth/revocations.py) goes to the store as usual, while priming runs and after.
"""

import logging
import threading

from botocore.awsrequest import AWSResponse

log = logging.getLogger(__name__)

_TABLE = "priming"
_KEY = {"pk": {"S": "priming"}}
# The operations a request makes on the hot paths, with the smallest parameters that serialise.
OPERATIONS = {
    "get_item": {"TableName": _TABLE, "Key": _KEY, "ConsistentRead": True},
    "query": {
        "TableName": _TABLE,
        "KeyConditionExpression": "#k = :v",
        "ExpressionAttributeNames": {"#k": "pk"},
        "ExpressionAttributeValues": {":v": {"S": "priming"}},
    },
    "batch_get_item": {"RequestItems": {_TABLE: {"Keys": [_KEY], "ConsistentRead": True}}},
    "transact_write_items": {
        "TransactItems": [
            {"ConditionCheck": {"TableName": _TABLE, "Key": _KEY, "ConditionExpression": "attribute_exists(pk)"}}
        ]
    },
    "update_item": {
        "TableName": _TABLE,
        "Key": _KEY,
        "UpdateExpression": "SET #k = :v",
        "ExpressionAttributeNames": {"#k": "n"},
        "ExpressionAttributeValues": {":v": {"N": "1"}},
    },
    "put_item": {"TableName": _TABLE, "Item": _KEY},
}


class _Body:
    """The raw body botocore reads from a reply (`stream()`)."""

    def __init__(self, data):
        self.data = data

    def stream(self, **_):
        yield self.data


def prime(client):
    """Call each operation once on this thread, answered locally; returns the operations primed."""
    thread = threading.get_ident()

    def answer_locally(request, **_):
        if threading.get_ident() != thread:
            return None  # another thread's request goes to the store
        headers = {"x-amzn-RequestId": "priming", "Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, 200, headers, _Body(b"{}"))

    events = client.meta.events
    events.register_first("before-send.dynamodb", answer_locally, unique_id="coalhaul-priming")
    primed = []
    try:
        for method, params in OPERATIONS.items():
            try:
                getattr(client, method)(**params)
                primed.append(method)
            except Exception:  # priming is an optimisation: never a reason for a container not to start
                log.debug("priming %s failed", method, exc_info=True)
    finally:
        events.unregister("before-send.dynamodb", unique_id="coalhaul-priming")
    return primed

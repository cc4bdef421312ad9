"""The botocore session behind the process's one DynamoDB client, built with only the handlers that can fire for it.

A botocore session registers all of botocore's built-in event handlers (127 in 1.44) for every service it might
serve: S3's checksums, EC2's presigned copies, Glacier's tree hashes, the documentation writers. Each is checked
by `inspect` as it is registered and copied again into every client: ~30 % of building our client, in every cold
start, though a DynamoDB client can only ever fire a handler registered on an event with no service in its name,
on a wildcard, or on `dynamodb`. The session here registers exactly those (9 in botocore 1.44), in botocore's own
order and with its own first/last placement, so a DynamoDB client sees the same handlers for every event
(tests/common/test_dynamodb_session.py compares them event by event against a full session).

The list is read from the botocore that is installed (Lambda's runtime provides its own), not copied here.

Nor does the session decode botocore's 1.2 MB endpoints.json (~9 ms of every cold start): see RuleSetResolver.
"""

from botocore import handlers, regions
from botocore.session import Session

from backend.common import botocore_data, dynamo_parser

SERVICE = "dynamodb"


def applies_to_dynamodb(event_name):
    """True when a handler registered on `event_name` could ever fire for a DynamoDB client.

    botocore's events are `<event>.<service>.<operation>...`; a registration matches every event it is a prefix
    of, `*` matching any one part. Documentation events (`docs.*`) only fire while botocore writes its docs."""
    parts = event_name.split(".")
    if parts[0] == "docs":
        return False
    return len(parts) == 1 or parts[1] in ("*", SERVICE)


def dynamodb_handlers():
    """botocore's built-in handler specs that apply to DynamoDB, in botocore's order."""
    return [spec for spec in handlers.BUILTIN_HANDLERS if applies_to_dynamodb(spec[0])]


class RuleSetResolver(regions.EndpointResolver):
    """botocore's legacy endpoint resolver without its data: no partition, no region, nothing to decode.

    A DynamoDB client's URL comes from DynamoDB's endpoint rule set and partitions.json (both still read from the
    installed botocore), per request. The legacy resolver only gives a client its signing region and name, and for
    DynamoDB those are the client's region and `dynamodb` in every partition: what botocore assumes for a region
    its resolver does not know. This one knows none. It says it uses botocore's own data, as the default one does,
    so that the rule set keeps deciding the URL (for other data botocore hands the rule set the assumed legacy
    hostname, which would be wrong in China). tests/common/test_dynamodb_session.py checks, region by region of
    the installed endpoints.json, that requests are sent to the same URL and signed for the same region and name
    as by a full session's client."""

    def __init__(self):
        super().__init__({"partitions": []}, uses_builtin_data=True)


class _DynamoDBSession(Session):
    def _register_endpoint_resolver(self):
        self._internal_components.lazy_register_component("endpoint_resolver", RuleSetResolver)


def new_session(*, access_key_id=None, secret_access_key=None, session_token=None):
    """A botocore session for DynamoDB only: its handlers, the quick data loader, the rule set's endpoints and the
    plain-JSON item replies.

    Credentials are set on the session when given (PynamoDB's own rule), else botocore's chain finds them."""
    session = _DynamoDBSession(include_builtin_handlers=False)
    for spec in dynamodb_handlers():
        event_name, handler = spec[0], spec[1]
        placement = spec[2] if len(spec) > 2 else None
        if placement is handlers.REGISTER_FIRST:
            session.get_component("event_emitter").register_first(event_name, handler)
        elif placement is handlers.REGISTER_LAST:
            session.get_component("event_emitter").register_last(event_name, handler)
        else:
            session.register(event_name, handler)
    if access_key_id and secret_access_key:
        session.set_credentials(access_key_id, secret_access_key, session_token)
    return dynamo_parser.install(botocore_data.install(session))

"""Replies of DynamoDB's item operations parsed as the JSON they are, not walked shape by shape.

botocore turns every reply into Python by visiting the output shape for each value of each item (a BatchGetItem
of four items is ~10,000 Python calls, a sixth of a hot write's CPU). For the item operations the result of that
walk is exactly `json.loads` of the body: their replies hold no timestamps, attribute values are strings, and
only binary values (B, BS) are decoded from base64. So those replies are loaded directly unless the body could
hold a binary value; everything else (errors, table descriptions, other services) takes botocore's own path.
"""

from botocore.parsers import JSONParser, ResponseParserFactory

ITEM_REPLIES = frozenset(
    {
        "GetItemOutput",
        "BatchGetItemOutput",
        "QueryOutput",
        "ScanOutput",
        "PutItemOutput",
        "UpdateItemOutput",
        "DeleteItemOutput",
        "BatchWriteItemOutput",
        "TransactWriteItemsOutput",
        "TransactGetItemsOutput",
    }
)
# A binary attribute value is the only thing botocore changes in these replies; these bytes anywhere (even
# inside a string) send the reply the slow, exact way.
BINARY_MARKS = (b'"B"', b'"BS"')


class ItemReplyParser(JSONParser):
    def _handle_json_body(self, raw_body, shape):
        if shape is not None and shape.name in ITEM_REPLIES and not any(mark in raw_body for mark in BINARY_MARKS):
            return self._parse_body_as_json(raw_body)
        return super()._handle_json_body(raw_body, shape)


class ParserFactory(ResponseParserFactory):
    """botocore's factory, with the item-reply parser for the JSON protocol (DynamoDB's)."""

    def create_parser(self, protocol_name):
        if protocol_name == "json":
            return ItemReplyParser(**self._defaults)
        return super().create_parser(protocol_name)


def install(session):
    """Give a botocore session the parser factory (before it builds a client)."""
    session.register_component("response_parser_factory", ParserFactory())
    return session

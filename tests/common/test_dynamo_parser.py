"""Item replies loaded as plain JSON give exactly what botocore's shape-by-shape parser gives."""

import json

import pytest
from botocore.parsers import JSONParser

from backend import db
from backend.common.dynamo_parser import ITEM_REPLIES, ItemReplyParser, ParserFactory
from tests import builders

ITEM = {
    "id": {"S": "wb_1"},
    "kg": {"N": "34000"},
    "gone": {"NULL": True},
    "paid": {"BOOL": False},
    "tags": {"SS": ["a", "b"]},
    "route": {"L": [{"N": "109.5"}, {"M": {"name": {"S": "神木"}, "n": {"NS": ["1", "2"]}}}]},
}
BINARY = dict(ITEM, photo={"B": "aGVsbG8="}, parts={"BS": ["AQI=", "AwQ="]})
REPLIES = {
    "GetItemOutput": {"Item": ITEM},
    "BatchGetItemOutput": {
        "Responses": {"t1": [ITEM, ITEM], "t2": []},
        "UnprocessedKeys": {"t1": {"Keys": [{"id": {"S": "x"}}], "ConsistentRead": True}},
        "ConsumedCapacity": [{"TableName": "t1", "CapacityUnits": 2.5}],
    },
    "QueryOutput": {"Items": [ITEM], "Count": 1, "ScannedCount": 3, "LastEvaluatedKey": {"id": {"S": "wb_1"}}},
    "UpdateItemOutput": {"Attributes": ITEM},
    "TransactWriteItemsOutput": {},
}


def shapes():
    model = db.connection().client.meta.service_model
    outputs = (model.operation_model(name).output_shape for name in model.operation_names)
    return {shape.name: shape for shape in outputs if shape is not None}


def parse(parser, body, shape, status=200):
    reply = {"status_code": status, "headers": {"x-amzn-requestid": "r1"}, "body": json.dumps(body).encode()}
    return parser.parse(reply, shape)


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("name", sorted(REPLIES))
@pytest.mark.parametrize("item", [ITEM, BINARY], ids=["plain", "binary"])
def test_an_item_reply_parses_exactly_as_botocore_parses_it(name, item):
    body = json.loads(json.dumps(REPLIES[name]).replace(json.dumps(ITEM), json.dumps(item)))
    shape = shapes()[name]
    assert parse(ItemReplyParser(), body, shape) == parse(JSONParser(), body, shape)


@pytest.mark.usefixtures("app")
def test_binary_values_are_still_decoded_to_bytes():
    parsed = parse(ItemReplyParser(), {"Item": BINARY}, shapes()["GetItemOutput"])
    assert parsed["Item"]["photo"] == {"B": b"hello"} and parsed["Item"]["parts"]["BS"] == [b"\x01\x02", b"\x03\x04"]


@pytest.mark.usefixtures("app")
def test_errors_and_other_replies_take_botocores_path():
    all_shapes = shapes()
    error = {"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "message": "no"}
    assert parse(ItemReplyParser(), error, all_shapes["UpdateItemOutput"], status=400) == parse(
        JSONParser(), error, all_shapes["UpdateItemOutput"], status=400
    )
    described = {"Table": {"TableName": "t", "CreationDateTime": 1700000000.5}}
    ours = parse(ItemReplyParser(), described, all_shapes["DescribeTableOutput"])
    assert "DescribeTableOutput" not in ITEM_REPLIES
    assert ours == parse(JSONParser(), described, all_shapes["DescribeTableOutput"])
    assert not isinstance(ours["Table"]["CreationDateTime"], float)  # a datetime, as botocore makes it


@pytest.mark.usefixtures("app")
def test_the_shared_client_reads_item_replies_this_way():
    from backend.auth.models import User

    assert isinstance(db.connection().client._endpoint._response_parser_factory, ParserFactory)
    user = builders.make_user("driver")
    assert User.get(user.user_id).phone == user.phone  # a model still reads through it

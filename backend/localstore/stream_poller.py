"""Local stand-in for Lambda's DynamoDB Streams event source: reads DynamoDB Local's streams, hands batches on.

It switches on the streams the aggregates read (tables created before had none), then follows every shard
from TRIM_HORIZON the way Lambda does: records in order per shard, in batches, each batch handed to the same
function Zappa calls in AWS (`backend.analytics.stream.lambda_handler`) with the records' stream ARN set.
"""

import threading

import boto3

STREAM_VIEW = "NEW_AND_OLD_IMAGES"


def ensure_streams(client, table_names):
    """Switch on NEW_AND_OLD_IMAGES streams where missing: {table name: stream ARN}."""
    arns = {}
    for name in table_names:
        table = client.describe_table(TableName=name)["Table"]
        if not table.get("StreamSpecification", {}).get("StreamEnabled"):
            table = client.update_table(
                TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": STREAM_VIEW}
            )["TableDescription"]
        arns[name] = table["LatestStreamArn"]
    return arns


class StreamPoller:
    """A daemon thread polling each stream's shards and calling `handler({"Records": [...]})` per batch."""

    def __init__(self, *, endpoint, table_names, handler, interval=0.5, batch_size=100):
        self.endpoint = endpoint
        self.table_names = table_names
        self.handler = handler
        self.interval = interval
        self.batch_size = batch_size
        self.iterators = {}  # (arn, shard id) -> next iterator
        self.done = set()  # closed shards read to their end
        self.stopped = threading.Event()
        self.thread = None
        self.delivered = 0

    def _clients(self):
        session = boto3.session.Session()
        return (
            session.client("dynamodb", endpoint_url=self.endpoint),
            session.client("dynamodbstreams", endpoint_url=self.endpoint),
        )

    def start(self, background=True):
        """Switch the streams on; follow them in a thread (the run command) or only on `drain()` (tests)."""
        ddb, self.streams = self._clients()
        self.arns = ensure_streams(ddb, self.table_names)
        if not background:
            return self
        self.thread = threading.Thread(target=self._run, name="stream-poller", daemon=True)
        self.thread.start()
        return self

    def _discover(self):
        for arn in self.arns.values():
            for shard in self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
                key = (arn, shard["ShardId"])
                if key not in self.iterators and key not in self.done:
                    self.iterators[key] = self.streams.get_shard_iterator(
                        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
                    )["ShardIterator"]

    def poll_once(self):
        """Read every open shard once; the number of records handed on."""
        self._discover()
        handed = 0
        for key, iterator in list(self.iterators.items()):
            reply = self.streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
            records = reply.get("Records", [])
            if records:
                for record in records:
                    record["eventSourceARN"] = key[0]
                self.handler({"Records": records})  # a failure raises before the iterator moves: retried
                handed += len(records)
            if reply.get("NextShardIterator"):
                self.iterators[key] = reply["NextShardIterator"]
            else:
                del self.iterators[key]
                self.done.add(key)
        self.delivered += handed
        return handed

    def drain(self, idle_polls=2):
        """Poll until nothing new arrives `idle_polls` times in a row (tests: the stream has caught up)."""
        idle = 0
        while idle < idle_polls:
            idle = idle + 1 if self.poll_once() == 0 else 0

    def _run(self):
        while not self.stopped.wait(self.interval):
            try:
                self.poll_once()
            except Exception:  # noqa: BLE001 - keep following the stream; Lambda would retry the batch too
                import logging

                logging.getLogger("coalhaul.streams").exception("stream batch failed; retried next poll")

    def stop(self):
        self.stopped.set()
        if self.thread:
            self.thread.join(timeout=10)


def start_for_app(app, endpoint, *, background=True, catch_up_days=0):
    """Follow the analytics source tables of `app`'s stage, counting each batch inside the app.

    `catch_up_days` recounts that many recent days from the raw records first: records written before the
    streams were switched on (the demo data) are in no stream.
    """
    from backend.analytics import service
    from backend.analytics.stream import SOURCES
    from backend.common.clock import now_ms, shanghai_date
    from backend.config import setting

    with app.app_context():
        prefix = setting("TABLE_PREFIX")
        now = now_ms()
        for back in range(catch_up_days):
            service.recompute_day(day=shanghai_date(now - back * 24 * 3600 * 1000), mine_ids=None, now_ms=now)
        if catch_up_days:
            service.recount_live(now_ms=now)

    def handler(event):
        with app.app_context():
            service.count_stream_records(event["Records"])

    names = [prefix + name for name in SOURCES]
    return StreamPoller(endpoint=endpoint, table_names=names, handler=handler).start(background=background)

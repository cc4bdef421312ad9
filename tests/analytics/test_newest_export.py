"""AWS reports read the newest completed export, found in our own bucket (no dynamodb:ListExports, which would need
a "*" resource): export ids sort by time, and an export without its manifest-summary.json is still running."""

from botocore.exceptions import ClientError

from backend.analytics.history import newest_export_prefix

ROOT = "exports/waybills/AWSDynamoDB/"


class Bucket:
    """The two S3 calls the lookup makes, over a set of keys (a bucket of exports)."""

    def __init__(self, keys):
        self.keys = set(keys)

    def get_paginator(self, name):
        assert name == "list_objects_v2"
        return self

    def paginate(self, *, Bucket, Prefix, Delimiter):  # noqa: N803  (S3's argument names)
        folders = sorted({Prefix + k[len(Prefix) :].split(Delimiter)[0] + Delimiter for k in self.keys})
        yield {"CommonPrefixes": [{"Prefix": f} for f in folders[:2]]}  # two pages: the lookup reads them all
        yield {"CommonPrefixes": [{"Prefix": f} for f in folders[2:]]}

    def head_object(self, *, Bucket, Key):  # noqa: N803
        if Key not in self.keys:
            raise ClientError({"Error": {"Code": "404"}}, "HeadObject")
        return {}


def test_the_newest_completed_export_is_chosen_and_a_running_one_skipped():
    keys = [
        ROOT + "01764000000000-aaaa/manifest-summary.json",
        ROOT + "01764000000000-aaaa/data/one.json.gz",
        ROOT + "01764086400000-bbbb/manifest-summary.json",
        ROOT + "01764086400000-bbbb/data/two.json.gz",
        ROOT + "01764172800000-cccc/data/partial.json.gz",  # today's, still running
    ]
    assert newest_export_prefix(Bucket(keys), bucket="b", table="waybills") == ROOT + "01764086400000-bbbb/"


def test_no_completed_export_means_no_location():
    assert newest_export_prefix(Bucket([ROOT + "01764172800000-cccc/data/x"]), bucket="b", table="waybills") is None

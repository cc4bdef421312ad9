"""Table exports in DynamoDB's export-to-S3 layout: AWS exports itself; locally we write the same files.

    <root>/<table>/AWSDynamoDB/<export id>/manifest-summary.json
    <root>/<table>/AWSDynamoDB/<export id>/manifest-files.json
    <root>/<table>/AWSDynamoDB/<export id>/data/<n>.json.gz      one {"Item": {<DynamoDB JSON>}} per line

Reports read the newest export, never the live tables. DynamoDB Local has no ExportTableToPointInTime, so
the local path pages the table (a job, not a request) and writes what AWS would.
"""

import gzip
import json
import os
import uuid

EXPORTED = ("waybills",)  # the tables the report SQL reads (Glue tables of the same names in infra)
LINES_PER_FILE = 5000


def root():
    """The local analytics directory (exports and reports)."""
    from backend.config import setting
    from backend.localstore.dynamodb_local import REPO_ROOT

    return setting("ANALYTICS_DIR") or os.path.join(REPO_ROOT, ".data", "analytics")


def _client():
    import boto3

    from backend.config import setting

    return boto3.client("dynamodb", endpoint_url=setting("DYNAMODB_HOST"), region_name=setting("AWS_REGION"))


def write_local(table, items, *, base, now_ms, export_id=None):
    """Write an iterable of DynamoDB-JSON items as one export of `table` under `base`: the export's directory."""
    export_id = export_id or f"{now_ms:013d}-{uuid.uuid4().hex[:8]}"
    folder = os.path.join(base, table, "AWSDynamoDB", export_id)
    os.makedirs(os.path.join(folder, "data"), exist_ok=True)
    files, count, handle = [], 0, None
    for item in items:
        if count % LINES_PER_FILE == 0:
            if handle:
                handle.close()
            name = f"data/{len(files):05d}.json.gz"
            files.append({"dataFileS3Key": name, "itemCount": 0})
            handle = gzip.open(os.path.join(folder, name), "wt", encoding="utf-8")
        handle.write(json.dumps({"Item": item}, ensure_ascii=False) + "\n")
        files[-1]["itemCount"] += 1
        count += 1
    if handle:
        handle.close()
    with open(os.path.join(folder, "manifest-files.json"), "w", encoding="utf-8") as out:
        out.writelines(json.dumps(f) + "\n" for f in files)
    summary = {
        "exportArn": f"local:{table}:{export_id}",
        "exportTime": now_ms,
        "itemCount": count,
        "outputFormat": "DYNAMODB_JSON",
        "exportType": "FULL_EXPORT",
    }
    with open(os.path.join(folder, "manifest-summary.json"), "w", encoding="utf-8") as out:
        json.dump(summary, out)
    return folder


def _pages(table_name):
    paginator = _client().get_paginator("scan")  # an export job's read, as AWS's own export reads the table
    for page in paginator.paginate(TableName=table_name, PaginationConfig={"PageSize": 1000}):
        yield from page["Items"]


def export_tables(*, now_ms, base=None):
    """Export the report tables: locally into the export layout, in AWS by ExportTableToPointInTime to S3."""
    from backend.config import setting

    prefix = setting("TABLE_PREFIX")
    if setting("ANALYTICS_BUCKET") and not setting("DYNAMODB_HOST"):
        client, started = _client(), []
        for table in EXPORTED:
            arn = table_arn(table)
            reply = client.export_table_to_point_in_time(
                TableArn=arn,
                S3Bucket=setting("ANALYTICS_BUCKET"),
                S3Prefix=f"exports/{table}",
                ExportFormat="DYNAMODB_JSON",
            )
            started.append(reply["ExportDescription"]["ExportArn"])
        return {"exports": started}
    base = base or os.path.join(root(), "exports")
    return {"exports": [write_local(t, _pages(prefix + t), base=base, now_ms=now_ms) for t in EXPORTED]}


def table_arn(table):
    """The ARN of one of this stage's tables (the export API and the Glue pointer name tables by ARN)."""
    from backend.config import setting

    return _client().describe_table(TableName=setting("TABLE_PREFIX") + table)["Table"]["TableArn"]


def newest(table, base=None):
    """The directory of the newest complete local export of a table (one with its summary written), or None."""
    folder = os.path.join(base or os.path.join(root(), "exports"), table, "AWSDynamoDB")
    if not os.path.isdir(folder):
        return None
    done = [d for d in sorted(os.listdir(folder)) if os.path.exists(os.path.join(folder, d, "manifest-summary.json"))]
    return os.path.join(folder, done[-1]) if done else None

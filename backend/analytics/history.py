"""Report SQL over the exported history: DuckDB over the local export, Athena over S3 - the same SQL text."""

import os

SQL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sql")
# The export's item columns the SQL reads, typed as the Glue tables in infra declare them.
WAYBILL_ITEM = (
    "STRUCT(mine_id STRUCT(S VARCHAR), shipper_id STRUCT(S VARCHAR), carrier_id STRUCT(S VARCHAR), "
    "state STRUCT(S VARCHAR), created_at STRUCT(N VARCHAR), net_kg STRUCT(N VARCHAR), received_kg STRUCT(N VARCHAR))"
)
COLUMNS = {"waybills": WAYBILL_ITEM}


def sql(name):
    """The text of a report query (backend/analytics/sql/<name>.sql)."""
    with open(os.path.join(SQL_DIR, f"{name}.sql"), encoding="utf-8") as handle:
        return handle.read()


def run_duckdb(name, params, *, exports):
    """Run a report query on DuckDB over local exports {table: export dir}: a list of row dicts."""
    import duckdb  # local and tests only (requirements-dev): AWS runs the same text on Athena

    con = duckdb.connect()
    try:
        for table, folder in exports.items():
            pattern = os.path.join(folder, "data", "*.json.gz").replace("'", "''")
            con.execute(
                f"CREATE VIEW {table} AS SELECT Item AS item FROM read_json('{pattern}', "
                f"columns={{'Item': '{COLUMNS[table]}'}}, format='newline_delimited')"
            )
        cursor = con.execute(sql(name), list(params))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def run_athena(name, params, *, workgroup, database, poll=None):
    """Run the same query on Athena (AWS): start, wait, read the rows as dicts (strings, as Athena returns)."""
    import time

    import boto3

    athena = boto3.client("athena")
    query_id = athena.start_query_execution(
        QueryString=sql(name),
        QueryExecutionContext={"Database": database},
        WorkGroup=workgroup,
        ExecutionParameters=[str(p) for p in params],
    )["QueryExecutionId"]
    while True:
        state = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]["State"]
        if state in ("SUCCEEDED", "FAILED", "CANCELLED"):
            break
        (poll or time.sleep)(1)
    if state != "SUCCEEDED":
        raise RuntimeError(f"athena query {query_id} {state}")
    rows = []
    for page in athena.get_paginator("get_query_results").paginate(QueryExecutionId=query_id):
        rows += [[c.get("VarCharValue") for c in r["Data"]] for r in page["ResultSet"]["Rows"]]
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in body]


def newest_export_prefix(s3, *, bucket, table):
    """The S3 prefix of the newest completed export of a table, or None.

    Found in our own bucket rather than by dynamodb:ListExports (which takes no resource, so it would need "*"):
    exports land under exports/<table>/AWSDynamoDB/<export id>/, ids start with the export time in ms (so they sort
    by time), and manifest-summary.json is written when an export completes.
    """
    root = f"exports/{table}/AWSDynamoDB/"
    folders = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=root, Delimiter="/"):
        folders += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    for folder in sorted(folders, reverse=True)[:5]:  # an unfinished export is at most the newest one or two
        from botocore.exceptions import ClientError

        try:
            s3.head_object(Bucket=bucket, Key=folder + "manifest-summary.json")
        except ClientError:
            continue
        return folder
    return None


def point_at_newest_export(*, bucket, database, table="waybills", s3=None, glue=None):
    """AWS: set the Glue table's location to the newest completed export's data files (exports add up under one
    prefix; reading them all would count every item once per export). Returns the location, or None."""
    import boto3

    s3, glue = s3 or boto3.client("s3"), glue or boto3.client("glue")
    folder = newest_export_prefix(s3, bucket=bucket, table=table)
    if folder is None:
        return None
    location = f"s3://{bucket}/{folder}data/"
    current = glue.get_table(DatabaseName=database, Name=table)["Table"]
    keep = (
        "Name",
        "Description",
        "Owner",
        "Retention",
        "StorageDescriptor",
        "PartitionKeys",
        "TableType",
        "Parameters",
    )
    table_input = {k: v for k, v in current.items() if k in keep}
    table_input["StorageDescriptor"]["Location"] = location
    glue.update_table(DatabaseName=database, TableInput=table_input)
    return location

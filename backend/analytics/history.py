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


def point_at_newest_export(*, table_arn, bucket, database, table="waybills"):
    """AWS: set the Glue table's location to the newest completed export's data files (exports add up under one
    prefix; reading them all would count every item once per export). Returns the location, or None."""
    import boto3

    dynamodb, glue = boto3.client("dynamodb"), boto3.client("glue")
    summaries = dynamodb.list_exports(TableArn=table_arn).get("ExportSummaries", [])
    done = [s["ExportArn"] for s in summaries if s.get("ExportStatus") == "COMPLETED"]
    if not done:
        return None
    described = [dynamodb.describe_export(ExportArn=arn)["ExportDescription"] for arn in done[-5:]]
    newest = max(described, key=lambda d: d["ExportTime"])
    location = f"s3://{bucket}/{newest['ExportManifest'].rsplit('/', 1)[0]}/data/"
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

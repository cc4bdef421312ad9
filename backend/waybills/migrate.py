"""Bring waybills written by earlier versions up to the model: typed facts and derived index keys.

1. The rule-driving facts move out of the old untyped `extra` JSON into the waybill's own attributes.
2. The derived index keys (`state_at`, `hall_scope`: models.derived_keys) are filled in, so an old
   waybill shows in the state-filtered lists and the hall before its next transition.

Waybills written before the facts were typed keep them in `extra` ({"kind", "ordered_by", "quote",
"via", "quota": {"shipper_id", "mine_id", "date"}, "declined_by", "route"}). Each old item is rewritten
once, in one conditional update (only while it is still old, so a re-run or two runs at once change
nothing twice).

    .venv/bin/python -m backend.waybills.migrate      # against the configured store

A Scan is right here and nowhere else: it is a one-off maintenance pass, not a request. The local
runner (backend/devserver.py) runs it at start-up; on AWS run it once after deploying.
"""

import json

from backend.waybills.models import Waybill, derived_keys

PLAIN_FACTS = ("kind", "ordered_by", "via", "declined_by")
JSON_FACTS = ("quote", "route")


def lifted(extra):
    """The attribute values (DynamoDB wire format) for an old `extra` dict."""
    values = {name: {"S": extra[name]} for name in PLAIN_FACTS if isinstance(extra.get(name), str)}
    values.update({name: {"S": json.dumps(extra[name])} for name in JSON_FACTS if extra.get(name) is not None})
    quota = extra.get("quota")
    if isinstance(quota, dict) and quota.get("date"):
        values["quota_date"] = {"S": quota["date"]}
    return values


def _updates(item):
    """(SET values, REMOVE names) that bring one raw item up to the model."""
    values, remove = {}, []
    if "extra" in item:
        extra = json.loads(item["extra"].get("S", "{}"))
        values.update(lifted(extra if isinstance(extra, dict) else {}))
        remove.append("extra")
    if "state_at" not in item and "state" in item and "updated_at" in item:
        hall = item.get("hall_mine_id", {}).get("S")
        derived = derived_keys(item["state"]["S"], int(item["updated_at"]["N"]), hall)
        values.update({name: {"S": value} for name, value in derived.items() if value})
    return values, remove


def _rewrite(client, table, item):
    values, remove = _updates(item)
    names = {f"#s{i}": name for i, name in enumerate(values)}
    names.update({f"#r{i}": name for i, name in enumerate(remove)})
    parts = []
    if values:
        parts.append("SET " + ", ".join(f"#s{i} = :s{i}" for i in range(len(values))))
    if remove:
        parts.append("REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove))))
    kwargs = {"ExpressionAttributeValues": {f":s{i}": v for i, v in enumerate(values.values())}} if values else {}
    names["#old"] = "extra" if remove else "state_at"
    condition = "attribute_exists(#old)" if remove else "attribute_not_exists(#old)"
    client.update_item(
        TableName=table,
        Key={"waybill_id": item["waybill_id"]},
        UpdateExpression=" ".join(parts),
        ConditionExpression=condition,
        ExpressionAttributeNames=names,
        **kwargs,
    )


def migrate():
    """Rewrite every waybill an earlier version wrote; returns how many were rewritten."""
    connection = Waybill._get_connection().connection
    client, table = connection.client, Waybill.Meta.table_name
    count, start = 0, None
    while True:
        page = client.scan(
            TableName=table,
            FilterExpression="attribute_exists(#extra) OR attribute_not_exists(#at)",
            ExpressionAttributeNames={"#extra": "extra", "#at": "state_at"},
            **({"ExclusiveStartKey": start} if start else {}),
        )
        for item in page.get("Items", []):
            try:
                _rewrite(client, table, item)
                count += 1
            except client.exceptions.ConditionalCheckFailedException:
                pass  # lifted meanwhile by another run
        start = page.get("LastEvaluatedKey")
        if not start:
            return count


if __name__ == "__main__":
    from backend.app import create_app

    with create_app().app_context():
        print(f"waybills rewritten: {migrate()}")

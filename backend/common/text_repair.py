"""Repair stored text no reply can carry: lone UTF-16 surrogates become U+FFFD, in every table.

Before the edge checked text (backend/common/edge.py), a client could store "\\ud800" in an address, a
name or a note; replies now show such strings repaired (backend/common/json_out.py), and this pass fixes
the stored copies once. It reads raw items, so it sees plain strings, strings inside lists and maps, and
JSON text attributes (PynamoDB's JSONAttribute keeps "\\ud800" escaped inside the JSON). Each item is
rewritten with one conditional update (only while the attribute still holds the bad value), so a re-run or
two runs at once change nothing twice. Key attributes cannot be rewritten in place; they are counted.

    .venv/bin/python -m backend.common.text_repair      # against the configured store

A Scan is right here and nowhere else: a one-off maintenance pass, not a request. The local runner
(backend/devserver.py) runs it at start-up; on AWS run it once after deploying.
"""

import json
import logging

from backend.common import text

log = logging.getLogger("coalhaul.text_repair")


def _repair_json_text(value):
    if value[:1] not in ("{", "["):
        return value
    try:
        parsed = json.loads(value)
    except ValueError:
        return value
    fixed = _repair_plain(parsed)
    return value if fixed == parsed else json.dumps(fixed)


def _repair_plain(value):
    if isinstance(value, str):
        return text.repair(value)
    if isinstance(value, list):
        return [_repair_plain(v) for v in value]
    if isinstance(value, dict):
        return {text.repair(k): _repair_plain(v) for k, v in value.items()}
    return value


def repaired(attribute):
    """A DynamoDB wire value with its strings repaired (the same object when nothing needed it)."""
    if "S" in attribute:
        value = attribute["S"]
        fixed = _repair_json_text(text.repair(value))
        return attribute if fixed == value else {"S": fixed}
    if "SS" in attribute:
        fixed = sorted({text.repair(v) for v in attribute["SS"]})
        return attribute if fixed == sorted(attribute["SS"]) else {"SS": fixed}
    if "L" in attribute:
        items = [repaired(v) for v in attribute["L"]]
        return attribute if all(a is b for a, b in zip(items, attribute["L"], strict=True)) else {"L": items}
    if "M" in attribute:
        items = {text.repair(k): repaired(v) for k, v in attribute["M"].items()}
        unchanged = items.keys() == attribute["M"].keys() and all(items[k] is attribute["M"][k] for k in items)
        return attribute if unchanged else {"M": items}
    return attribute


def _key_names(model):
    return [name for name, attr in model.get_attributes().items() if attr.is_hash_key or attr.is_range_key]


def _repair_item(client, table, keys, item):
    """Rewrite one item's bad attributes; (attributes fixed, key attributes left bad)."""
    changes = {name: fixed for name, value in item.items() if (fixed := repaired(value)) is not value}
    stuck = [name for name in changes if name in keys]
    changes = {name: value for name, value in changes.items() if name not in keys}
    if not changes:
        return 0, len(stuck)
    names = {f"#a{i}": name for i, name in enumerate(changes)}
    values = {f":n{i}": value for i, value in enumerate(changes.values())}
    values.update({f":o{i}": item[name] for i, name in enumerate(changes)})
    try:
        client.update_item(
            TableName=table,
            Key={name: item[name] for name in keys},
            UpdateExpression="SET " + ", ".join(f"#a{i} = :n{i}" for i in range(len(changes))),
            ConditionExpression=" AND ".join(f"#a{i} = :o{i}" for i in range(len(changes))),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    except client.exceptions.ConditionalCheckFailedException:
        return 0, len(stuck)  # changed meanwhile (by the owner or another run)
    return len(changes), len(stuck)


def repair_table(model):
    """Repair one table; (attributes fixed, key attributes that could not be)."""
    client = model._get_connection().connection.client
    table, keys = model.Meta.table_name, _key_names(model)
    fixed = stuck = 0
    start = None
    while True:
        page = client.scan(TableName=table, **({"ExclusiveStartKey": start} if start else {}))
        for item in page.get("Items", []):
            done, left = _repair_item(client, table, keys, item)
            fixed, stuck = fixed + done, stuck + left
        start = page.get("LastEvaluatedKey")
        if not start:
            return fixed, stuck


def repair_all(models=None):
    """Repair every table; returns the number of attributes rewritten."""
    if models is None:
        from backend.tables import ALL_MODELS as models
    total = 0
    for model in models:
        fixed, stuck = repair_table(model)
        total += fixed
        if stuck:
            log.warning("%s: %d key attributes hold lone surrogates and were left as they are", model.__name__, stuck)
    return total


if __name__ == "__main__":
    from backend.app import create_app

    with create_app().app_context():
        print(f"text attributes repaired: {repair_all()}")

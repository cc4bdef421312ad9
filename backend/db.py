"""Binds the PynamoDB models to the configured endpoint, region and table prefix."""
from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

# Enough pooled HTTP connections for the concurrency tests and a busy Lambda container.
MAX_POOL_CONNECTIONS = 64
_state = {"connection": None}


def bind_models(models, *, host, region, prefix):
    """Point every model at one endpoint; the base table name is kept so rebinding is safe."""
    for model in models:
        meta = model.Meta
        if not hasattr(meta, "base_table_name"):
            meta.base_table_name = meta.table_name
        meta.table_name = prefix + meta.base_table_name
        meta.host = host
        meta.region = region
        meta.max_pool_connections = MAX_POOL_CONNECTIONS
        model._connection = None
    _state["connection"] = Connection(region=region, host=host, max_pool_connections=MAX_POOL_CONNECTIONS)


def transaction(client_request_token=None):
    """A TransactWrite on the bound connection (PynamoDB would otherwise use its defaults)."""
    return TransactWrite(connection=_state["connection"], client_request_token=client_request_token)


def create_tables(models):
    """Create missing tables (on-demand billing); PynamoDB also switches on each model's TTL."""
    for model in models:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        else:
            _add_missing_indexes(model)


def _add_missing_indexes(model):
    """A table kept from an earlier run (a local -dbPath) gets the GSIs its model gained since."""
    schema = model._get_schema()
    existing = {i["IndexName"] for i in model.describe_table().get("GlobalSecondaryIndexes", [])}
    for index in schema["global_secondary_indexes"]:
        if index["index_name"] in existing:
            continue
        model._get_connection().connection.client.update_table(
            TableName=model.Meta.table_name, AttributeDefinitions=index["attribute_definitions"],
            GlobalSecondaryIndexUpdates=[{"Create": {
                "IndexName": index["index_name"], "Projection": index["projection"],
                "KeySchema": sorted(index["key_schema"], key=lambda k: k["KeyType"] != "HASH")}}])

"""The command centre's numbers: KPI aggregates kept from DynamoDB Streams, reports over the exported history."""

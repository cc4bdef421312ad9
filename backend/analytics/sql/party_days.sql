-- Loads per party (mine, shipper, carrier) and Asia/Shanghai day of creation, over a DynamoDB table export.
-- The same text runs on Athena (Glue table `waybills` over the S3 export) and on DuckDB (a view of the same
-- name over the local export): portable SQL only, no dialect functions. Parameters: ? = from ms, ? = to ms.
-- day_index = days since 1970-01-01 in UTC+8 (China has no DST); the caller turns it into a date.
WITH w AS (
    SELECT
        item.mine_id.S AS mine_id,
        item.shipper_id.S AS shipper_id,
        item.carrier_id.S AS carrier_id,
        item.state.S AS state,
        CAST(item.created_at.N AS BIGINT) AS created_at,
        COALESCE(CAST(item.net_kg.N AS BIGINT), 0) AS net_kg,
        COALESCE(CAST(item.received_kg.N AS BIGINT), 0) AS received_kg
    FROM waybills
    WHERE item IS NOT NULL
),
d AS (
    SELECT
        *,
        CAST(FLOOR((created_at + 28800000) / 86400000.0) AS BIGINT) AS day_index,
        CASE WHEN state IN ('unloaded', 'confirmed', 'settled') THEN 1 ELSE 0 END AS delivered
    FROM w
    WHERE created_at >= ? AND created_at < ?
)
SELECT 'mine' AS kind, mine_id AS party, day_index, COUNT(*) AS planned, SUM(delivered) AS delivered,
       SUM(net_kg) AS net_kg, SUM(received_kg) AS received_kg
FROM d WHERE mine_id IS NOT NULL GROUP BY mine_id, day_index
UNION ALL
SELECT 'shipper' AS kind, shipper_id AS party, day_index, COUNT(*) AS planned, SUM(delivered) AS delivered,
       SUM(net_kg) AS net_kg, SUM(received_kg) AS received_kg
FROM d WHERE shipper_id IS NOT NULL GROUP BY shipper_id, day_index
UNION ALL
SELECT 'carrier' AS kind, carrier_id AS party, day_index, COUNT(*) AS planned, SUM(delivered) AS delivered,
       SUM(net_kg) AS net_kg, SUM(received_kg) AS received_kg
FROM d WHERE carrier_id IS NOT NULL GROUP BY carrier_id, day_index
ORDER BY kind, party, day_index

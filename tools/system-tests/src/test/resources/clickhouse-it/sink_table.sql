-- A table for the sink's integration tests, created per test as pulse.${TABLE}.
-- Like the result tables: ReplacingMergeTree with a deterministic key, so replays replace.
DROP TABLE IF EXISTS pulse.${TABLE};
CREATE TABLE pulse.${TABLE}
(
    id       UInt64,
    payload  String,
    district Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2),
    version  UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

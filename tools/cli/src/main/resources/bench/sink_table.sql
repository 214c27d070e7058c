-- The sink benchmark's table, recreated for every measured run as pulse.${TABLE}.
-- Narrow rows, like the participation counters: a key, an enum, a count and a version.
DROP TABLE IF EXISTS pulse.${TABLE};
CREATE TABLE pulse.${TABLE}
(
    id       UInt64,
    district Enum8('UNKNOWN' = 0, 'HUANGPU' = 1, 'XUHUI' = 2, 'CHANGNING' = 3, 'JINGAN' = 4),
    visits   UInt32,
    version  UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

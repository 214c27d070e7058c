-- A table with a column type the sink has no RowBinary writer for (UUID), created per test as
-- pulse.${TABLE}: its writer must fall back to text VALUES by itself.
DROP TABLE IF EXISTS pulse.${TABLE};
CREATE TABLE pulse.${TABLE}
(
    id      UInt64,
    ref     UUID,
    payload String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

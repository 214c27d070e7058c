-- V005: events an aggregation found behind its watermark and could not count. Admission judges
-- lateness on the same clocks the watermarks come from, so this table stays empty; a row here
-- is a defect to investigate, never silent loss. Same portability rules as V001.

-- One row per event an operator could not count. Key: (job, operator, item, event_time_epoch_ms)
-- where item names what was dropped (the operator's key and the learner's hash), version
-- ingested_version, so a replay after a restart replaces instead of adding. Not partitioned:
-- the table is meant to stay empty.
CREATE TABLE IF NOT EXISTS pulse.dropped_events
(
    job                  String,
    operator             String,
    item                 String,
    event_time           DateTime('Asia/Shanghai'),
    event_time_epoch_ms  UInt64,
    watermark_at         DateTime('Asia/Shanghai'),
    observed_at          DateTime('Asia/Shanghai'),
    ingested_version     UInt64
)
ENGINE = ReplacingMergeTree(ingested_version)
ORDER BY (job, operator, item, event_time_epoch_ms);

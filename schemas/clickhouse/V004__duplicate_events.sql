-- V004: resent events the jobs dropped, so that data-quality numbers are queryable, not just metrics.
-- Same portability rules as V001.

-- One row per resent message dropped by a job's de-duplication. Key: the message's Kafka position
-- (job, source_topic, source_partition, source_offset), version ingested_version, so a replay
-- after a restart replaces instead of adding. Not partitioned: seen_at is wall-clock time.
CREATE TABLE IF NOT EXISTS pulse.duplicate_events
(
    job              String,
    source_topic     String,
    source_partition Int32,
    source_offset    Int64,
    event_id         String,
    event_time       DateTime('Asia/Shanghai'),
    seen_at          DateTime('Asia/Shanghai'),
    ingested_version UInt64
)
ENGINE = ReplacingMergeTree(ingested_version)
ORDER BY (job, source_topic, source_partition, source_offset);

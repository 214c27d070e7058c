-- V008: the restricted store of dead letters. Same portability rules as V001, except that this
-- migration's table lives in its own database, pulse_restricted, which only the admin account
-- reads: on 18.16 the reader's users.xml entry allows only the database pulse (allow_databases),
-- on current releases the reader has no grant on it and the writer only INSERT
-- (schemas/clickhouse/users/current-releases.sql).
--
-- Why: a dead letter holds a message as received, learner, payer and card ids in clear. The
-- jobs write every letter here with its original bytes (for ./pulse deadletters replay), and
-- redacted into pulse.dead_letters and onto pulse.deadletters.v1: a validate-stage letter with
-- the ids replaced by their keyed hashes, a decode-stage letter (bytes that cannot be parsed to
-- redact) without its payload (raw = '').

CREATE DATABASE IF NOT EXISTS pulse_restricted;

-- Every dead letter of the decoders, as received. Same columns and key as pulse.dead_letters, so
-- that a letter's row here and its redacted row there share (source_topic, source_partition,
-- source_offset, stage); raw is the base64 of the original bytes. Key: (source_topic,
-- source_partition, source_offset, stage, cityHash64(raw)), version ingested_version.
-- Not partitioned: failed_at is wall-clock time. Emptied by ./pulse deadletters purge.
CREATE TABLE IF NOT EXISTS pulse_restricted.dead_letters
(
    source_topic     String,
    source_partition Int32,
    source_offset    Int64,
    stage            String,
    reason           String,
    raw              String,
    raw_encoding     Enum8('UNKNOWN' = 0, 'BYTES' = 1, 'BASE64' = 2),
    failed_at        DateTime('Asia/Shanghai'),
    job              String,
    ingested_version UInt64
)
ENGINE = ReplacingMergeTree(ingested_version)
ORDER BY (source_topic, source_partition, source_offset, stage, cityHash64(raw));
